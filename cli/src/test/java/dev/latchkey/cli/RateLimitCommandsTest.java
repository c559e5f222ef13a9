package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --rate-limit on keys create/edit and tokens issue/edit; listings show the limits. */
class RateLimitCommandsTest {
  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("sa", "create", "acme/ci_bot", "--scope", "acme/platform/deploys").ok();
  }

  @Test
  void keysAndTokensTakeShowAndDropRateLimits() {
    Map<String, Object> key = cli.run("keys", "create", "acme/sa/ci_bot/k", "--rate-limit", "100/1m,burst=150",
        "--json").ok().json();
    assertThat(key).containsEntry("rateLimit", "100/1m,burst=150");
    assertThat(cli.run("keys", "list", "acme/sa/ci_bot").ok().out()).contains("RATE LIMIT", "100/1m,burst=150");

    cli.run("tokens", "issue", "acme/sa/ci_bot/k/t1", "--rate-limit", "10/1s", "--json").ok();
    cli.run("tokens", "issue", "acme/sa/ci_bot/k/t2").ok();
    assertThat(cli.run("tokens", "get", "acme/sa/ci_bot/k/t1", "--json").ok().json())
        .containsEntry("rateLimit", "10/1s");
    assertThat(cli.run("tokens", "get", "acme/sa/ci_bot/k/t2", "--json").ok().json())
        .containsEntry("rateLimit", null);
    String listing = cli.run("tokens", "list", "acme/sa/ci_bot/k").ok().out();
    assertThat(listing).contains("RATE LIMIT", "10/1s");

    assertThat(cli.run("tokens", "edit", "acme/sa/ci_bot/k/t2", "--rate-limit", "5/h", "--json").ok().json())
        .containsEntry("rateLimit", "5/1h");
    assertThat(cli.run("tokens", "edit", "acme/sa/ci_bot/k/t1", "--no-rate-limit", "--json").ok().json())
        .containsEntry("rateLimit", null);
    assertThat(cli.run("keys", "edit", "acme/sa/ci_bot/k", "--rate-limit", "1000/1d", "--json").ok().json())
        .containsEntry("rateLimit", "1000/1d");
    assertThat(cli.run("keys", "edit", "acme/sa/ci_bot/k", "--no-rate-limit", "--json").ok().json())
        .containsEntry("rateLimit", null);
  }

  @Test
  void badLimitsAreUsageErrorsThatSayWhatIsWrong() {
    CliRunner.Result bad = cli.run("keys", "create", "acme/sa/ci_bot/k", "--rate-limit", "100/1w");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("period ends in s, m, h or d").contains("e.g. 100/1m");
    CliRunner.Result zero = cli.run("keys", "create", "acme/sa/ci_bot/k", "--rate-limit", "0/1m");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("requests must be 1 to 1000000000");
    cli.run("keys", "create", "acme/sa/ci_bot/k").ok();
    CliRunner.Result both = cli.run("keys", "edit", "acme/sa/ci_bot/k", "--rate-limit", "1/1s", "--no-rate-limit");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("either --rate-limit or --no-rate-limit");
    cli.run("tokens", "issue", "acme/sa/ci_bot/k/t").ok();
    assertThat(cli.run("tokens", "edit", "acme/sa/ci_bot/k/t", "--rate-limit", "1/1s", "--no-rate-limit").exitCode())
        .isEqualTo(2);
  }
}
