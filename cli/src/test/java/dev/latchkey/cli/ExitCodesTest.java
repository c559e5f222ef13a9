package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ConfigurationException;
import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.StoreException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCodesTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("users", "create", "acme/alice", "--role", "account_admin").ok();
    cli.run("users", "create", "acme/bob").ok();
    cli.run("sa", "create", "acme/ci_bot").ok();
    cli.run("keys", "create", KEY).ok();
  }

  @Test
  void everyExceptionHasItsDocumentedCode() {
    assertThat(ExitCodes.of(new NotFoundException("x"))).isEqualTo(1);
    assertThat(ExitCodes.of(new UsageException("x"))).isEqualTo(2);
    assertThat(ExitCodes.of(new InvalidArgumentException("x"))).isEqualTo(2);
    assertThat(ExitCodes.of(new ConfigurationException("x"))).isEqualTo(2);
    assertThat(ExitCodes.of(new StoreException("x"))).isEqualTo(3);
    assertThat(ExitCodes.of(new java.io.UncheckedIOException(new java.io.IOException("x")))).isEqualTo(3);
    assertThat(ExitCodes.of(new IllegalStateException("x"))).isEqualTo(7);
    assertThat(ExitCodes.of(new NullPointerException())).isEqualTo(7);
    assertThat(ExitCodes.of(new PermissionDeniedException("x"))).isEqualTo(4);
    assertThat(ExitCodes.of(new ConflictException("x"))).isEqualTo(5);
    assertThat(ExitCodes.of(new LimitExceededException("x"))).isEqualTo(6);
  }

  @Test
  void notFoundIsOne() {
    for (String[] args : new String[][] {
        {"accounts", "get", "nope"}, {"accounts", "delete", "nope", "--yes"}, {"users", "get", "acme/nope"},
        {"sa", "disable", "acme/nope"}, {"keys", "get", KEY + "x"}, {"keys", "delete", KEY + "x"},
        {"tokens", "get", KEY + "/nope"}, {"tokens", "revoke", KEY + "/nope"}, {"tokens", "rotate", KEY + "/nope"},
        {"tokens", "delete", KEY + "/nope"}, {"tokens", "list", KEY + "x"}}) {
      CliRunner.Result r = cli.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.err()).contains("does not exist");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void actingAsAPrincipalAppliesTheAccessPolicy() {
    CliRunner.Result denied = cli.run("--as", "acme/user/bob", "sa", "create", "acme/rogue");
    assertThat(denied.exitCode()).isEqualTo(4);
    assertThat(denied.err()).contains("acme/user/bob is not allowed to manage service accounts");
    assertThat(cli.run("--as", "acme/user/bob", "tokens", "issue", KEY + "/sneaky").exitCode()).isEqualTo(4);
    assertThat(cli.run("--as", "acme/user/bob", "accounts", "list").exitCode()).isEqualTo(4);
    assertThat(cli.run("--as", "acme/user/ghost", "users", "list", "acme").exitCode()).isEqualTo(4);

    cli.run("--as", "acme/user/alice", "sa", "create", "acme/deployer").ok();
    cli.run("--as", "acme/user/alice", "tokens", "issue", KEY + "/by_alice").ok();
    // a user manages their own personal keys
    cli.run("--as", "acme/user/bob", "keys", "create", "acme/user/bob/laptop").ok();
    cli.run("--as", "acme/user/bob", "tokens", "issue", "acme/user/bob/laptop/cli").ok();
    assertThat(cli.run("--as", "acme/user/bob", "keys", "list", "acme/user/alice").exitCode()).isEqualTo(4);
  }

  @Test
  void conflictsAreFive() {
    CliRunner.Result dup = cli.run("accounts", "create", "acme");
    assertThat(dup.exitCode()).isEqualTo(5);
    assertThat(dup.err()).contains("acme");
    assertThat(cli.run("sa", "create", "acme/ci_bot").exitCode()).isEqualTo(5);
    assertThat(cli.run("keys", "create", KEY).exitCode()).isEqualTo(5);
    cli.run("tokens", "issue", KEY + "/t").ok();
    assertThat(cli.run("tokens", "issue", KEY + "/t").exitCode()).isEqualTo(5);
    cli.run("tokens", "revoke", KEY + "/t").ok();
    CliRunner.Result rotateRevoked = cli.run("tokens", "rotate", KEY + "/t");
    assertThat(rotateRevoked.exitCode()).isEqualTo(5);
    assertThat(rotateRevoked.err()).contains("revoked");
    cli.run("sa", "disable", "acme/ci_bot").ok();
    CliRunner.Result disabled = cli.run("tokens", "issue", KEY + "/t2");
    assertThat(disabled.exitCode()).isEqualTo(5);
    assertThat(disabled.err()).contains("disabled");
  }

  @Test
  void anUnreachableDatabaseIsThreeWithoutAStackTrace() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/latchkey?connectTimeout=2";
    CliRunner.Result r = cli.runRaw(null, "--jdbc-url", url, "accounts", "list");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err().strip()).doesNotContain("\n").contains("schema migration failed").doesNotContain("\tat ");

    CliRunner.Result verbose = cli.runRaw(null, "--jdbc-url", url, "accounts", "list", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(3);
    assertThat(verbose.err()).contains("exception chain: dev.latchkey.StoreException <- org.postgresql.util.PSQLException")
        .doesNotContain("\tat ");
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorNotADatabaseError() {
    cli.run("tokens", "issue", KEY + "/t").ok();
    cli.clock.failWith(new IllegalStateException("the clock broke"));
    CliRunner.Result r = cli.run("tokens", "get", KEY + "/t");
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.err().strip()).doesNotContain("\n").contains("internal error", "report it")
        .doesNotContain("database", "the clock broke", "\tat ");
    assertThat(r.out()).isEmpty();

    CliRunner.Result verbose = cli.run("tokens", "get", KEY + "/t", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(7);
    assertThat(verbose.err()).contains("exception chain: java.lang.IllegalStateException").doesNotContain("\tat ");
  }

  @Test
  void verboseAlsoPrintsAuditEventsWithoutSecrets() {
    CliRunner.Result r = cli.run("tokens", "issue", KEY + "/audited", "--verbose").ok();
    String value = r.token();
    assertThat(r.err()).contains("latchkey: audit: TOKEN_ISSUED " + KEY + "/audited by system")
        .doesNotContain(value.substring(value.lastIndexOf('_') + 1));
    assertThat(cli.run("tokens", "list", KEY).ok().err()).isEmpty();
  }
}
