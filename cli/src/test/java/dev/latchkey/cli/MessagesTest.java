package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error messages a person reads: durations in words rather than ISO-8601 ({@code PT8760H}), no Java
 * class names, hints only where they help, and suggestions only for near misses.
 */
class MessagesTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";
  static final String TOKEN = KEY + "/pipeline";
  /** An ISO-8601 duration such as PT8760H or P90D. */
  static final Pattern ISO_DURATION = Pattern.compile("\\bP(?:\\d+[DWMY])*(?:T(?:\\d+(?:\\.\\d+)?[HMS])+)?\\b");
  /** A Java class name: a qualified name, or a simple name ending in Exception or Error. */
  static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:java|javax|org|com|dev)\\.[a-z]+\\.|\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b");

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("sa", "create", "acme/ci_bot").ok();
    cli.run("keys", "create", KEY).ok();
  }

  @Test
  void durationsInMessagesAreWords() {
    CliRunner.Result beyond = cli.run("tokens", "issue", TOKEN, "--expires", "2030-01-01");
    assertThat(beyond.exitCode()).isEqualTo(2);
    assertThat(beyond.err()).contains("maximum token lifetime of 365 days").doesNotContainPattern(ISO_DURATION);

    CliRunner.Result never = cli.run("tokens", "issue", TOKEN, "--expires", "never");
    assertThat(never.exitCode()).isEqualTo(2);
    assertThat(never.err()).contains("365 days").doesNotContainPattern(ISO_DURATION);

    CliRunner.Result custom = cli.run("tokens", "issue", TOKEN, "--expires", "3d", "--max-token-lifetime", "36h");
    assertThat(custom.err()).contains("1 day 12 hours").doesNotContainPattern(ISO_DURATION);

    CliRunner.Result lifetime = cli.run("keys", "create", KEY + "2", "--default-token-lifetime", "P400D");
    assertThat(lifetime.exitCode()).isEqualTo(2);
    assertThat(lifetime.err()).contains("400 days", "365 days").doesNotContainPattern(ISO_DURATION);

    CliRunner.Result grace = cli.run("tokens", "rotate", TOKEN, "--grace", "PT200H");
    assertThat(grace.exitCode()).isEqualTo(2);
    assertThat(grace.err()).contains("8 days 8 hours", "7 days").doesNotContainPattern(ISO_DURATION);
  }

  @Test
  void aPastExpiryGetsNoLifetimeHint() {
    CliRunner.Result past = cli.run("tokens", "issue", TOKEN, "--expires", "2020-01-01T00:00:00Z");
    assertThat(past.exitCode()).isEqualTo(2);
    assertThat(past.err()).contains("in the past").doesNotContain("maximum", "--max-token-lifetime");
    CliRunner.Result beyond = cli.run("tokens", "issue", TOKEN, "--expires", "2030-01-01T00:00:00Z");
    assertThat(beyond.err()).contains("--max-token-lifetime");
  }

  @Test
  void fileProblemsAreDescribedWithoutClassNames() throws Exception {
    Path aFile = Files.writeString(dir.resolve("plain.txt"), "x");
    CliRunner.Result folder = cli.runRaw(null, "--db", aFile.resolve("sub/lk").toString(), "accounts", "create", "b");
    assertThat(folder.exitCode()).isEqualTo(3);
    assertThat(folder.err()).contains(aFile.toString()).doesNotContainPattern(CLASS_NAME);

    CliRunner.Result peppers = cli.run("tokens", "issue", TOKEN, "--peppers-file", dir.toString());
    assertThat(peppers.exitCode()).isEqualTo(2);
    assertThat(peppers.err()).contains("peppers file").doesNotContainPattern(CLASS_NAME);

    CliRunner.Result tokenFile = cli.run("tokens", "verify", "--token-file", dir.toString());
    assertThat(tokenFile.exitCode()).isEqualTo(2);
    assertThat(tokenFile.err()).contains("--token-file").doesNotContainPattern(CLASS_NAME);

    CliRunner.Result outFile = cli.run("tokens", "issue", TOKEN, "--out-file", aFile.resolve("t").toString());
    assertThat(outFile.exitCode()).isEqualTo(2);
    assertThat(outFile.err()).contains("--out-file").doesNotContainPattern(CLASS_NAME);
  }

  @Test
  void databaseProblemsAreDescribedWithoutClassNames() {
    CliRunner.Result r = cli.runRaw(null, "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "accounts", "list");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).doesNotContainPattern(CLASS_NAME);
  }

  @Test
  void picocliSaysOptionOnce() {
    CliRunner.Result r = cli.run("keys", "create", KEY + "2", "--tag", "novalue");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("option '--tag'").doesNotContain("option option");
  }

  @Test
  void suggestionsAreNearMissesOnly() {
    assertThat(cli.run("tokens", "isue").err()).contains("did you mean issue?").doesNotContain("list?");
    assertThat(cli.run("acounts", "list").err()).contains("did you mean accounts?");
    assertThat(cli.run("frob").err()).contains("unknown command 'frob'").doesNotContain("did you mean");
    assertThat(cli.run("tokens", "frobnicate").err()).doesNotContain("did you mean");
    assertThat(cli.run("accounts", "list", "--lmit", "3").err()).contains("did you mean --limit?");
    assertThat(cli.run("accounts", "list", "--zzz").err()).doesNotContain("did you mean");
  }
}
