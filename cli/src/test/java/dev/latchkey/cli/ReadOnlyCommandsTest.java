package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that only read (list, get, expiring) run without the pepper keyset; {@code tokens verify}
 * does not count as a use of the token unless {@code --record-use} asks for it.
 */
class ReadOnlyCommandsTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";
  static final String TOKEN = KEY + "/pipeline";

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("users", "create", "acme/alice", "--role", "account_admin").ok();
    cli.run("sa", "create", "acme/ci_bot").ok();
    cli.run("keys", "create", KEY).ok();
    cli.run("tokens", "issue", TOKEN).ok();
  }

  @Test
  void listAndGetNeedNoPepperKeyset() {
    cli.env.remove("LATCHKEY_PEPPERS");
    List<String[]> reads = List.of(
        new String[] {"accounts", "list"}, new String[] {"accounts", "get", "acme"},
        new String[] {"users", "list", "acme"}, new String[] {"users", "get", "acme/alice"},
        new String[] {"sa", "list", "acme"}, new String[] {"sa", "get", "acme/ci_bot"},
        new String[] {"keys", "list", "acme/sa/ci_bot"}, new String[] {"keys", "get", KEY},
        new String[] {"tokens", "list", KEY}, new String[] {"tokens", "get", TOKEN},
        new String[] {"tokens", "expiring", "--within", "365d"});
    for (String[] args : reads) {
      CliRunner.Result r = cli.run(args);
      assertThat(r.exitCode()).as("%s; stderr: %s", String.join(" ", args), r.err()).isZero();
      assertThat(r.err()).isEmpty();
    }
    assertThat(cli.run("tokens", "get", TOKEN, "--json").ok().json()).containsEntry("id", "pipeline");
    assertThat(cli.run("tokens", "list", KEY).ok().out()).contains("pipeline", "active");
    assertThat(cli.run("tokens", "expiring", "--within", "365d").ok().out()).contains(TOKEN);
  }

  @Test
  void readsWithoutPeppersBehaveAsWithThem() {
    String[][] cases = {
        {"tokens", "get", KEY + "/nope"}, {"keys", "get", KEY + "x"}, {"tokens", "list", KEY + "x"},
        {"keys", "list", "acme/sa/nobody"}, {"users", "get", "acme/nobody"}, {"accounts", "get", "nope"}};
    for (String[] args : cases) {
      CliRunner.Result with = cli.run(args);
      cli.env.remove("LATCHKEY_PEPPERS");
      CliRunner.Result without = cli.run(args);
      cli.env.put("LATCHKEY_PEPPERS", "1:" + cli.pepperKey);
      assertThat(without.exitCode()).as(String.join(" ", args)).isEqualTo(with.exitCode()).isEqualTo(1);
      assertThat(without.err()).isEqualTo(with.err());
    }
  }

  @Test
  void changesStillNeedThePepperKeyset() {
    cli.env.remove("LATCHKEY_PEPPERS");
    for (String[] args : List.of(new String[] {"tokens", "issue", KEY + "/other"},
        new String[] {"tokens", "revoke", TOKEN}, new String[] {"accounts", "create", "globex"},
        new String[] {"peppers", "usage"})) {
      CliRunner.Result r = cli.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).contains("LATCHKEY_PEPPERS");
    }
  }

  @Test
  void readingAsAPrincipalGoesThroughTheAccessPolicyAndNeedsTheKeyset() {
    cli.run("--as", "acme/user/alice", "tokens", "get", TOKEN).ok();
    cli.env.remove("LATCHKEY_PEPPERS");
    CliRunner.Result r = cli.run("--as", "acme/user/alice", "tokens", "get", TOKEN);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--as", "LATCHKEY_PEPPERS");
  }

  @Test
  void verifyDoesNotCountAsAUseUnlessAsked() {
    String value = cli.run("tokens", "rotate", TOKEN).ok().token();
    cli.runWithInput(value, "tokens", "verify").ok();
    assertThat(cli.run("tokens", "get", TOKEN, "--json").ok().json()).containsEntry("lastUsedAt", null);
    cli.clock.advance(java.time.Duration.ofMinutes(1));
    cli.runWithInput(value, "tokens", "verify", "--record-use").ok();
    assertThat(cli.run("tokens", "get", TOKEN, "--json").ok().json())
        .containsEntry("lastUsedAt", "2026-06-01T00:01:00Z");
  }

  @Test
  void aRecordedUseWithFromShowsTheAddressInGetAndList() {
    String value = cli.run("tokens", "rotate", TOKEN).ok().token();
    cli.runWithInput(value, "tokens", "verify", "--record-use", "--from", "2001:DB8::0:7").ok();
    assertThat(cli.run("tokens", "get", TOKEN, "--json").ok().json())
        .containsEntry("lastUsedAt", "2026-06-01T00:00:00Z").containsEntry("lastUsedFrom", "2001:db8::7");
    String listing = cli.run("tokens", "list", KEY).ok().out();
    assertThat(listing).contains("LAST USED FROM").contains("2001:db8::7");
  }
}
