package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandsTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";
  static final String TOKEN = KEY + "/pipeline";

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("sa", "create", "acme/ci_bot", "--scope", "acme/platform", "--permission", "deploy:write").ok();
    cli.run("keys", "create", KEY).ok();
  }

  @Test
  void issueVerifyRotateWithGraceRevokeDelete() {
    CliRunner.Result issued = cli.run("tokens", "issue", TOKEN, "--name", "Pipeline", "--tag", "ci=yes", "--expires",
        "2027-01-31").ok();
    String first = issued.token();
    assertThat(issued.out()).contains("Issued token " + TOKEN, "only time the token value is shown",
        "2027-02-01T00:00:00Z"); // valid through 2027-01-31 (UTC)
    assertThat(issued.out().strip()).endsWith(first); // the value is the last line, easy to copy

    CliRunner.Result valid = cli.runWithInput(first + "\n", "tokens", "verify", "--json").ok();
    assertThat(valid.json()).containsEntry("valid", true).containsEntry("principal", "acme/sa/ci_bot")
        .containsEntry("scope", "acme/platform").containsEntry("permissions", List.of("deploy:write"))
        .containsEntry("token", TOKEN).containsEntry("expiresAt", "2027-02-01T00:00:00Z");
    assertThat(cli.runWithInput(first + "\r\n", "tokens", "verify").ok().out()).contains("The token is valid.");

    CliRunner.Result rotated = cli.run("tokens", "rotate", TOKEN, "--grace", "5m").ok();
    String second = rotated.token();
    assertThat(second).isNotEqualTo(first).startsWith(first.substring(0, 24)); // same lookup id
    assertThat(rotated.out()).contains("The old value keeps working until 2026-06-01T00:05:00Z");

    assertThat(cli.runWithInput(first, "tokens", "verify").exitCode()).isZero(); // within the grace period
    assertThat(cli.runWithInput(second, "tokens", "verify").exitCode()).isZero();
    cli.clock.advance(Duration.ofMinutes(6));
    CliRunner.Result old = cli.runWithInput(first, "tokens", "verify", "--json");
    assertThat(old.exitCode()).isEqualTo(1);
    assertThat(old.json()).containsEntry("valid", false).containsEntry("reason", "BAD_SECRET");
    cli.runWithInput(second, "tokens", "verify", "--record-use").ok();

    Map<String, Object> got = cli.run("tokens", "get", TOKEN, "--json").ok().json();
    assertThat(got).containsEntry("state", "active").containsEntry("rotatedAt", "2026-06-01T00:00:00Z")
        .containsEntry("tags", Map.of("ci", "yes")).containsEntry("lastUsedAt", "2026-06-01T00:06:00Z")
        .containsEntry("lastUsedFrom", null); // verified without --from: no address

    Map<String, Object> revoked = cli.run("tokens", "revoke", TOKEN, "--json").ok().json();
    assertThat(revoked).containsEntry("state", "revoked");
    CliRunner.Result afterRevoke = cli.runWithInput(second, "tokens", "verify", "--json");
    assertThat(afterRevoke.exitCode()).isEqualTo(1);
    assertThat(afterRevoke.json()).containsEntry("reason", "REVOKED");
    assertThat(cli.run("tokens", "list", KEY).ok().out()).contains("pipeline", "revoked");

    assertThat(cli.run("tokens", "delete", TOKEN, "--json").ok().json())
        .containsEntry("deleted", TOKEN).containsEntry("type", "token");
    assertThat(cli.run("tokens", "get", TOKEN).exitCode()).isEqualTo(1);
    CliRunner.Result afterDelete = cli.runWithInput(second, "tokens", "verify", "--json");
    assertThat(afterDelete.exitCode()).isEqualTo(1);
    assertThat(afterDelete.json()).containsEntry("reason", "UNKNOWN");
  }

  @Test
  void rotateWithoutGraceEndsTheOldValueAtOnceAndCanSetANewExpiry() {
    String first = cli.run("tokens", "issue", TOKEN).ok().token();
    Map<String, Object> rotated = cli.run("tokens", "rotate", TOKEN, "--expires", "30d", "--json").ok().json();
    String second = (String) rotated.get("value");
    assertThat(second).matches(CliRunner.TOKEN);
    @SuppressWarnings("unchecked")
    Map<String, Object> token = (Map<String, Object>) rotated.get("token");
    assertThat(token).containsEntry("expiresAt", "2026-07-01T00:00:00Z").containsEntry("previousValidUntil", null);
    assertThat(cli.runWithInput(first, "tokens", "verify").exitCode()).isEqualTo(1);
    cli.runWithInput(second, "tokens", "verify").ok();
    assertThat(cli.run("tokens", "rotate", TOKEN).ok().out()).contains("The old value no longer works.");
  }

  @Test
  void issueDefaultsAndJsonShape() {
    Map<String, Object> doc = cli.run("tokens", "issue", TOKEN, "--json").ok().json();
    assertThat(doc.keySet()).containsExactly("token", "value");
    @SuppressWarnings("unchecked")
    Map<String, Object> token = (Map<String, Object>) doc.get("token");
    assertThat(token.keySet()).containsExactly("path", "apiKey", "id", "lookupId", "name", "description", "tags",
        "state", "createdAt", "expiresAt", "rotatedAt", "previousValidUntil", "lastUsedAt", "lastUsedFrom",
        "restriction", "restricted", "rateLimit");
    assertThat(token).containsEntry("name", "pipeline").containsEntry("expiresAt", "2026-08-30T00:00:00Z"); // 90 days
    assertThat((String) doc.get("value")).startsWith("lk_sat_" + token.get("lookupId") + "_");
  }

  @Test
  void tokensNeverExpireOnlyWithoutAMaximumLifetime() {
    CliRunner.Result refused = cli.run("tokens", "issue", TOKEN, "--expires", "never");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--max-token-lifetime");
    Map<String, Object> doc = cli.run("tokens", "issue", TOKEN, "--expires", "never", "--max-token-lifetime", "none",
        "--json").ok().json();
    @SuppressWarnings("unchecked")
    Map<String, Object> token = (Map<String, Object>) doc.get("token");
    assertThat(token).containsEntry("expiresAt", null);
  }

  @Test
  void editNameDescriptionTagsAndExpiryButNeverTheValue() {
    String value = cli.run("tokens", "issue", TOKEN, "--tag", "a=1").ok().token();
    Map<String, Object> edited = cli.run("tokens", "edit", TOKEN, "--name", "Deploys", "--description", "nightly",
        "--tag", "b=2", "--expires", "2026-06-02T12:00:00Z", "--json").ok().json();
    assertThat(edited).containsEntry("id", "pipeline").containsEntry("name", "Deploys")
        .containsEntry("description", "nightly").containsEntry("tags", Map.of("b", "2"))
        .containsEntry("expiresAt", "2026-06-02T12:00:00Z");
    assertThat(cli.run("tokens", "edit", TOKEN, "--clear-tags", "--json").ok().json())
        .containsEntry("tags", Map.of());
    cli.runWithInput(value, "tokens", "verify").ok();
    cli.clock.advance(Duration.ofDays(2));
    CliRunner.Result expired = cli.runWithInput(value, "tokens", "verify", "--json");
    assertThat(expired.exitCode()).isEqualTo(1);
    assertThat(expired.json()).containsEntry("reason", "EXPIRED");
    assertThat(cli.run("tokens", "list", KEY, "--json").ok().items().get(0)).containsEntry("state", "expired");
  }

  @Test
  void listsAndExpiring() {
    cli.run("tokens", "issue", KEY + "/soon", "--expires", "10d").ok();
    cli.run("tokens", "issue", KEY + "/later", "--expires", "200d").ok();
    List<Map<String, Object>> all = cli.run("tokens", "list", KEY, "--json").ok().items();
    assertThat(all).extracting(m -> m.get("id")).containsExactly("later", "soon");
    assertThat(cli.run("tokens", "list", KEY).ok().out()).contains("TOKEN", "STATE", "EXPIRES", "later", "soon");

    assertThat(cli.run("tokens", "expiring", "--json").ok().items()).extracting(m -> m.get("path"))
        .containsExactly(KEY + "/soon");
    assertThat(cli.run("tokens", "expiring", "--within", "365d", "--json").ok().items()).hasSize(2);
    assertThat(cli.run("tokens", "expiring", "--within", "1d").ok().out()).contains("(none)");
  }

  @Test
  void verifyReadsAFileAndRejectsGarbageAsMalformed() throws Exception {
    String value = cli.run("tokens", "issue", TOKEN).ok().token();
    Path file = dir.resolve("token.txt");
    Files.writeString(file, value + "\n");
    cli.run("tokens", "verify", "--token-file", file.toString()).ok();

    CliRunner.Result garbage = cli.runWithInput("not a token\n", "tokens", "verify", "--json");
    assertThat(garbage.exitCode()).isEqualTo(1);
    assertThat(garbage.json()).containsEntry("reason", "MALFORMED");
    // tokens are never normalised: a changed case is another (invalid) token
    assertThat(cli.runWithInput(value.toUpperCase(java.util.Locale.ROOT), "tokens", "verify").exitCode()).isEqualTo(1);
    assertThat(cli.runWithInput(" " + value, "tokens", "verify").exitCode()).isEqualTo(1);

    CliRunner.Result empty = cli.runWithInput("", "tokens", "verify");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err()).contains("no token given");
  }

  @Test
  void tokenPrefixOfTheApplication() {
    String value = cli.run("tokens", "issue", TOKEN, "--token-prefix", "acme", "--json").ok().json().get("value")
        .toString();
    assertThat(value).startsWith("acme_sat_");
    cli.runWithInput(value, "tokens", "verify", "--token-prefix", "acme").ok();
    cli.env.put("LATCHKEY_TOKEN_PREFIX", "acme");
    cli.runWithInput(value, "tokens", "verify").ok();
    cli.env.remove("LATCHKEY_TOKEN_PREFIX");
    assertThat(cli.runWithInput(value, "tokens", "verify").exitCode()).isEqualTo(1); // another prefix: malformed
  }
}
