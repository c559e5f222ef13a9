package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad command lines: one line on stderr naming the problem and the fix, exit code 2, nothing on
 * stdout, and nothing written: the database file is not even created, or is left byte for byte.
 */
class BadArgumentsTest {
  static final String TOKEN = "acme/sa/ci_bot/ci_key/pipeline";

  /** Each case: the arguments and a fragment the message must contain. */
  static final List<String[]> CASES = List.of(
      c("command 'frob'", "frob"),
      c("did you mean accounts", "acounts", "list"),
      c("unknown command 'frob'", "tokens", "frob"),
      c("missing command", "tokens"),
      c("Missing required parameter: '<token>'", "tokens", "issue"),
      c("parameter for option '--expires'", "tokens", "issue", TOKEN, "--expires"),
      c("Unknown option: '--bogus'", "accounts", "list", "--bogus"),
      c("add --yes to confirm", "accounts", "delete", "acme"),
      c("account id may contain only", "accounts", "create", "9acme"),
      c("user id may contain only", "users", "create", "acme/bad-id"),
      c("token id may contain only", "tokens", "issue", "acme/sa/ci_bot/ci_key/t-1"),
      c("a principal path has the form", "keys", "list", "acme/x"),
      c("principal type must be 'user' or 'sa'", "--as", "acme/admin/x", "accounts", "list"),
      c("does not name a service account", "sa", "get", "acme/user/alice"),
      c("'5x' is not a duration; use e.g. 90d", "tokens", "rotate", TOKEN, "--grace", "5x"),
      c("is not a duration", "tokens", "rotate", TOKEN, "--grace", "-5m"),
      c("exceeds the maximum of 7 days", "tokens", "rotate", TOKEN, "--grace", "8d"),
      c("not a valid date", "tokens", "issue", TOKEN, "--expires", "2027-13-45"),
      c("dates with slashes are mm/dd/yyyy", "tokens", "issue", TOKEN, "--expires", "31/01/2027"),
      c("has no time zone", "tokens", "issue", TOKEN, "--expires", "2027-01-31T10:00"),
      c("is in the past", "tokens", "issue", TOKEN, "--expires", "2020-01-01"),
      c("must be in the future", "tokens", "issue", TOKEN, "--expires", "2020-01-01T00:00:00Z"),
      c("is not a time zone", "tokens", "issue", TOKEN, "--expires", "12/31/2026", "--zone", "Mars/Olympus"),
      c("beyond the maximum token lifetime", "tokens", "edit", TOKEN, "--expires", "2030-01-01"),
      c("exceeds the maximum token lifetime", "keys", "create", "acme/sa/ci_bot/k", "--default-token-lifetime", "400d"),
      c("--max-token-lifetime", "accounts", "list", "--max-token-lifetime", "forever"),
      c("KEY=VALUE", "keys", "create", "acme/sa/ci_bot/k", "--tag", "novalue"),
      c("nothing to change", "tokens", "edit", TOKEN),
      c("either --tag", "keys", "edit", "acme/sa/ci_bot/k", "--tag", "a=b", "--clear-tags"),
      c("nothing to change", "users", "edit", "acme/alice"),
      c("token name must be at most 256", "tokens", "issue", TOKEN, "--name", "n".repeat(300)),
      c("outside account acme", "sa", "create", "acme/bot", "--scope", "globex/platform"),
      c("page limit must be 1 to 1000", "accounts", "list", "--limit", "0"),
      c("--pepper-version must be 1 to 65535", "peppers", "generate", "--pepper-version", "0"),
      c("token prefix must be lower-case", "accounts", "list", "--token-prefix", "Acme"),
      c("no token given", "tokens", "verify"),
      c("never from the command line", "tokens", "verify", "lk_sat_aaaaaaaaaaaaaaaa_" + "b".repeat(49)),
      c("there is no --jdbc-password", "accounts", "list", "--jdbc-password", "hunter2"),
      // every value type's converter, wherever the type is used (each is registered once, for the whole tree)
      c("<account>): account id may contain only", "users", "list", "bad-id"),
      c("<account>): account id may contain only", "sa", "list", "bad-id"),
      c("(e.g. acme, acme/platform or acme/platform/deploys)", "sa", "create", "acme/bot", "--scope", "a/b/c/d"),
      c("(e.g. acme/sa/ci_bot/ci_key)", "keys", "get", "acme"),
      c("(e.g. acme/sa/ci_bot/ci_key)", "tokens", "list", "acme/x"),
      c("(e.g. acme/sa/ci_bot/ci_key/pipeline)", "tokens", "get", "acme"),
      c("'5x' is not a duration; use e.g. 90d", "tokens", "expiring", "--within", "5x"),
      c("'5x' is not a duration; use e.g. 90d", "keys", "create", "acme/sa/ci_bot/k", "--default-token-lifetime", "5x"),
      c("'soon' is not an expiry", "tokens", "edit", TOKEN, "--expires", "soon"));

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
  }

  @Test
  void badArgumentsCreateNoDatabase() throws Exception {
    for (String[] c : CASES) {
      check(cli.run(args(c)), c);
    }
    assertThat(cli.dbFile()).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("nothing written next to the database").isEmpty();
    }
  }

  @Test
  void badArgumentsLeaveAnExistingDatabaseUntouched() throws Exception {
    cli.run("accounts", "create", "acme").ok();
    cli.run("users", "create", "acme/alice").ok();
    cli.run("sa", "create", "acme/ci_bot").ok();
    cli.run("keys", "create", "acme/sa/ci_bot/ci_key").ok();
    cli.run("tokens", "issue", TOKEN).ok();
    Path file = cli.dbFile();
    String before = sha256(file);
    FileTime modified = Files.getLastModifiedTime(file);
    for (String[] c : CASES) {
      check(cli.run(args(c)), c);
    }
    assertThat(sha256(file)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
  }

  @Test
  void defaultLocationIsNotCreatedByABadCommand() {
    for (String[] c : CASES) {
      check(cli.runRaw(null, args(c)), c);
    }
    assertThat(cli.home.resolve(".latchkey")).doesNotExist();
  }

  @Test
  void configurationErrorsAreUsageErrorsToo() throws Exception {
    cli.env.remove("LATCHKEY_PEPPERS");
    check(cli.run("accounts", "create", "acme"), new String[] {"set LATCHKEY_PEPPERS or pass --peppers-file"});
    cli.env.put("LATCHKEY_PEPPERS", "garbage");
    check(cli.run("accounts", "create", "acme"), new String[] {"LATCHKEY_PEPPERS: pepper entry 1 is not of the form"});
    cli.env.put("LATCHKEY_PEPPERS", "1:c2hvcnQ=");
    check(cli.run("accounts", "create", "acme"), new String[] {"must be 32 to 64 bytes"});
    cli.env.remove("LATCHKEY_PEPPERS");
    check(cli.run("accounts", "create", "acme", "--peppers-file", dir.resolve("nope").toString()),
        new String[] {"does not exist; create one with 'latchkey peppers generate --out-file"});
    cli.env.put("LATCHKEY_PEPPERS", "1:" + cli.pepperKey);
    check(cli.runRaw(null, "--db", cli.db.toString(), "--jdbc-url", "jdbc:h2:mem:x", "accounts", "list"),
        new String[] {"give only one"});
    check(cli.runRaw(null, "--jdbc-url", "jdbc:mysql://localhost/x", "accounts", "list"),
        new String[] {"must be an H2 (jdbc:h2:...) or PostgreSQL"});
    check(cli.runRaw(null, "--jdbc-user", "bob", "accounts", "list"), new String[] {"--jdbc-user needs --jdbc-url"});
    cli.env.put("LATCHKEY_ZONE", "nowhere");
    check(cli.run("accounts", "list"), new String[] {"LATCHKEY_ZONE 'nowhere' is not a time zone"});
    cli.env.remove("LATCHKEY_ZONE");
    cli.env.put("HOME", "relative");
    check(cli.runRaw(null, "accounts", "list"), new String[] {"HOME 'relative' is not an absolute path"});
    cli.env.remove("HOME");
    Path existing = dir.resolve("exists.token");
    Files.writeString(existing, "x");
    check(cli.run("tokens", "issue", TOKEN, "--out-file", existing.toString()), new String[] {"refusing to overwrite"});
    assertThat(cli.dbFile()).doesNotExist();
    assertThat(cli.home.resolve(".latchkey")).doesNotExist();
  }

  private static void check(CliRunner.Result r, String[] c) {
    String what = String.join(" ", args(c));
    assertThat(r.exitCode()).as("exit code of: %s; stderr: %s", what, r.err()).isEqualTo(2);
    assertThat(r.out()).as("stdout of: %s", what).isEmpty();
    assertThat(r.err()).as("stderr of: %s", what).contains(c[0]).doesNotContain("hunter2")
        .doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(r.err().strip()).as("one line for: %s", what).doesNotContain("\n");
    assertThat(r.tokens()).isEmpty();
    assertThat(r.err()).doesNotContainPattern("lk_sat_a{16}");
  }

  private static String[] c(String expected, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = expected;
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }

  private static String[] args(String[] c) {
    String[] a = new String[c.length - 1];
    System.arraycopy(c, 1, a, 0, a.length);
    return a;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
