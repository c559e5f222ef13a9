package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --expires} with a calendar date, as the product documentation writes it (mm/dd/yyyy) or as
 * ISO-8601 (yyyy-mm-dd): the token is valid through that whole day and expires at the start of the
 * next one, in UTC unless {@code --zone} or {@code LATCHKEY_ZONE} names another time zone.
 */
class ExpiryDatesTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";
  static final String TOKEN = KEY + "/pipeline";

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
  void theSeedsMonthDayYearFormatIsAccepted() {
    Map<String, Object> token = issue("--expires", "12/31/2026");
    assertThat(token).containsEntry("expiresAt", "2027-01-01T00:00:00Z");
    assertThat(issueAs(KEY + "/single", "--expires", "1/5/2027")).containsEntry("expiresAt", "2027-01-06T00:00:00Z");
  }

  @Test
  void anIsoDateIsValidThroughThatWholeDayToo() {
    assertThat(issue("--expires", "2026-12-31")).containsEntry("expiresAt", "2027-01-01T00:00:00Z");
  }

  @Test
  void theTokenWorksUntilTheLastSecondOfThatDay() {
    String value = cli.run("tokens", "issue", TOKEN, "--expires", "06/02/2026").ok().token();
    cli.clock.advance(Duration.between(CliRunner.START, Instant.parse("2026-06-02T23:59:59Z")));
    cli.runWithInput(value, "tokens", "verify").ok();
    cli.clock.advance(Duration.ofSeconds(1));
    CliRunner.Result expired = cli.runWithInput(value, "tokens", "verify", "--json");
    assertThat(expired.exitCode()).isEqualTo(1);
    assertThat(expired.json()).containsEntry("reason", "EXPIRED");
  }

  @Test
  void aZoneMovesTheEndOfTheDay() {
    assertThat(issue("--expires", "12/31/2026", "--zone", "America/New_York"))
        .containsEntry("expiresAt", "2027-01-01T05:00:00Z");
    cli.env.put("LATCHKEY_ZONE", "Europe/Berlin");
    assertThat(issueAs(KEY + "/berlin", "--expires", "07/31/2026")).containsEntry("expiresAt", "2026-07-31T22:00:00Z");
    assertThat(issueAs(KEY + "/flag_wins", "--expires", "07/31/2026", "--zone", "UTC"))
        .containsEntry("expiresAt", "2026-08-01T00:00:00Z");
  }

  @Test
  void theExactInstantIsShownBack() {
    CliRunner.Result issued = cli.run("tokens", "issue", TOKEN, "--expires", "12/31/2026").ok();
    assertThat(issued.out()).contains("valid through 12/31/2026 (UTC)", "expires at 2027-01-01T00:00:00Z");
    CliRunner.Result edited = cli.run("tokens", "edit", TOKEN, "--expires", "2027-01-15", "--zone", "+02:00").ok();
    assertThat(edited.out()).contains("valid through 2027-01-15 (+02:00)", "expires at 2027-01-15T22:00:00Z");
    CliRunner.Result rotated = cli.run("tokens", "rotate", TOKEN, "--expires", "02/01/2027").ok();
    assertThat(rotated.out()).contains("expires at 2027-02-02T00:00:00Z");
  }

  @Test
  void badDatesAndZonesAreUsageErrors() {
    String[][] cases = {
        {"13/01/2027", "mm/dd/yyyy"},
        {"31/12/2026", "mm/dd/yyyy"},
        {"02/30/2027", "not a valid date"},
        {"12/31/26", "mm/dd/yyyy"},
        {"2027-02-30", "not a valid date"},
    };
    for (String[] c : cases) {
      CliRunner.Result r = cli.run("tokens", "issue", TOKEN, "--expires", c[0]);
      assertThat(r.exitCode()).as(c[0]).isEqualTo(2);
      assertThat(r.err()).as(c[0]).contains(c[1]);
    }
    CliRunner.Result zone = cli.run("tokens", "issue", TOKEN, "--expires", "12/31/2026", "--zone", "Mars/Olympus");
    assertThat(zone.exitCode()).isEqualTo(2);
    assertThat(zone.err()).contains("--zone", "Mars/Olympus", "Europe/Berlin");
    cli.env.put("LATCHKEY_ZONE", "nowhere");
    assertThat(cli.run("tokens", "issue", TOKEN, "--expires", "12/31/2026").err()).contains("LATCHKEY_ZONE");
  }

  @Test
  void aDateInThePastSaysSo() {
    CliRunner.Result r = cli.run("tokens", "issue", TOKEN, "--expires", "05/31/2026");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("05/31/2026", "past").doesNotContain("maximum", "--max-token-lifetime");
  }

  private Map<String, Object> issue(String... options) {
    return issueAs(TOKEN, options);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> issueAs(String token, String... options) {
    String[] args = new String[options.length + 4];
    args[0] = "tokens";
    args[1] = "issue";
    args[2] = token;
    System.arraycopy(options, 0, args, 3, options.length);
    args[args.length - 1] = "--json";
    return (Map<String, Object>) cli.run(args).ok().json().get("token");
  }
}
