package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testsupport.SharedPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI over a real PostgreSQL server (the test JVM's shared one, with a role and database of this
 * test's own): --jdbc-url, --jdbc-user, the password from the environment.
 */
class PostgresTest {
  static final String PASSWORD = "pg-Secret-4711";
  static EmbeddedPostgres server;

  @TempDir
  Path dir;

  /** On the shared server, which goes (with the role and database) when the test JVM exits. */
  @BeforeAll
  static void createRoleAndDatabase() throws Exception {
    server = SharedPostgres.server();
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE latchkey_cli LOGIN PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE DATABASE latchkey_cli OWNER latchkey_cli");
    }
  }

  @Test
  void fullLifecycleOnPostgres() {
    CliRunner cli = new CliRunner(dir);
    String url = "jdbc:postgresql://localhost:" + server.getPort() + "/latchkey_cli";
    cli.env.put("LATCHKEY_JDBC_PASSWORD", PASSWORD);
    String[] db = {"--jdbc-url", url, "--jdbc-user", "latchkey_cli"};

    cli.runRaw(null, with(db, "accounts", "create", "acme")).ok();
    // the URL and user may come from the environment too
    cli.env.put("LATCHKEY_JDBC_URL", url);
    cli.env.put("LATCHKEY_JDBC_USER", "latchkey_cli");
    cli.runRaw(null, "sa", "create", "acme/ci_bot", "--scope", "acme/platform", "--permission", "deploy").ok();
    cli.runRaw(null, "keys", "create", "acme/sa/ci_bot/ci_key").ok();
    String first = cli.runRaw(null, "tokens", "issue", "acme/sa/ci_bot/ci_key/pipeline").ok().token();
    Map<String, Object> verified = cli.runRaw(first, "tokens", "verify", "--json").ok().json();
    assertThat(verified).containsEntry("principal", "acme/sa/ci_bot").containsEntry("scope", "acme/platform");

    String second = cli.runRaw(null, "tokens", "rotate", "acme/sa/ci_bot/ci_key/pipeline", "--grace", "1m").ok().token();
    cli.runRaw(first, "tokens", "verify").ok();
    cli.clock.advance(Duration.ofMinutes(2));
    assertThat(cli.runRaw(first, "tokens", "verify").exitCode()).isEqualTo(1);
    cli.runRaw(second, "tokens", "verify").ok();
    assertThat(cli.runRaw(null, "tokens", "list", "acme/sa/ci_bot/ci_key", "--json").ok().items()).hasSize(1);

    assertThat(cli.runRaw(null, "accounts", "delete", "acme", "--yes").ok().out()).contains("Deleted account acme");
    assertThat(cli.runRaw(second, "tokens", "verify").exitCode()).isEqualTo(1);

    // a wrong password: a store error (3) that names neither password
    cli.env.put("LATCHKEY_JDBC_PASSWORD", "wrong-" + PASSWORD);
    CliRunner.Result wrong = cli.runRaw(null, "accounts", "list", "--verbose");
    if (wrong.exitCode() != 0) { // servers configured with 'trust' accept any password
      assertThat(wrong.exitCode()).isEqualTo(3);
      assertThat(wrong.err()).doesNotContain(PASSWORD);
    }
  }

  private static String[] with(String[] prefix, String... args) {
    String[] all = new String[prefix.length + args.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(args, 0, all, prefix.length, args.length);
    return all;
  }
}
