package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Latchkey;
import dev.latchkey.PepperKeyset;
import dev.latchkey.jdbc.JdbcTokenStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit list} and the notified thresholds of {@code tokens expiring}. */
class AuditCommandsTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";
  static final String TOKEN = KEY + "/pipeline";

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("users", "create", "acme/admin", "--role", "account_admin").ok();
    cli.run("users", "create", "acme/alice").ok();
    cli.run("sa", "create", "acme/ci_bot", "--scope", "acme/platform", "--permission", "deploy:write").ok();
    cli.clock.advance(Duration.ofMinutes(1));
    cli.run("keys", "create", KEY).ok();
    cli.run("tokens", "issue", TOKEN, "--expires", "10d").ok();
    cli.clock.advance(Duration.ofMinutes(1));
    cli.run("tokens", "revoke", TOKEN).ok();
    cli.run("accounts", "create", "other").ok();
  }

  private static List<Object> actions(CliRunner.Result r) {
    return r.ok().items().stream().map(m -> m.get("action")).toList();
  }

  @Test
  void listsEventsNewestFirstWithEveryFilter() {
    CliRunner.Result all = cli.run("audit", "list", "--json").ok();
    assertThat(actions(all)).containsExactly("ACCOUNT_CREATED", "TOKEN_REVOKED", "TOKEN_ISSUED", "API_KEY_CREATED",
        "SERVICE_ACCOUNT_CREATED", "USER_CREATED", "USER_CREATED", "ACCOUNT_CREATED");
    Map<String, Object> revoked = all.items().get(1);
    assertThat(revoked).containsEntry("target", TOKEN).containsEntry("actor", "system")
        .containsEntry("account", "acme").containsEntry("at", "2026-06-01T00:02:00Z");
    assertThat(all.json()).containsEntry("nextCursor", null);

    assertThat(actions(cli.run("audit", "list", "--account", "other", "--json"))).containsExactly("ACCOUNT_CREATED");
    assertThat(actions(cli.run("audit", "list", "--principal", "acme/sa/ci_bot", "--json")))
        .containsExactly("TOKEN_REVOKED", "TOKEN_ISSUED", "API_KEY_CREATED", "SERVICE_ACCOUNT_CREATED");
    assertThat(actions(cli.run("audit", "list", "--key", KEY, "--json")))
        .containsExactly("TOKEN_REVOKED", "TOKEN_ISSUED", "API_KEY_CREATED");
    assertThat(actions(cli.run("audit", "list", "--token", TOKEN, "--json")))
        .containsExactly("TOKEN_REVOKED", "TOKEN_ISSUED");
    assertThat(actions(cli.run("audit", "list", "--since", "2026-06-01T00:01:00Z", "--until", "2026-06-01T00:02:00Z",
        "--json"))).containsExactly("TOKEN_ISSUED", "API_KEY_CREATED");
    assertThat(actions(cli.run("audit", "list", "--since", "30s", "--json")))
        .containsExactly("ACCOUNT_CREATED", "TOKEN_REVOKED");
    assertThat(actions(cli.run("audit", "list", "--until", "2026-06-01", "--json"))).isEmpty();

    CliRunner.Result first = cli.run("audit", "list", "--limit", "3", "--json").ok();
    assertThat(first.items()).hasSize(3);
    String cursor = (String) first.json().get("nextCursor");
    assertThat(actions(cli.run("audit", "list", "--limit", "3", "--after", cursor, "--json")))
        .containsExactly("API_KEY_CREATED", "SERVICE_ACCOUNT_CREATED", "USER_CREATED");

    String table = cli.run("audit", "list", "--token", TOKEN).ok().out();
    assertThat(table).contains("AT", "ACTION", "ACTOR", "TARGET", "DETAILS", "TOKEN_ISSUED", "lookupId=", TOKEN);
  }

  @Test
  void principalsReadWhatThePolicyLetsThem() {
    assertThat(actions(cli.run("audit", "list", "--as", "acme/user/admin", "--json"))).hasSize(7)
        .doesNotContainSequence("ACCOUNT_CREATED", "TOKEN_REVOKED");
    assertThat(actions(cli.run("audit", "list", "--as", "acme/user/alice", "--principal", "acme/user/alice",
        "--json"))).containsExactly("USER_CREATED");
    CliRunner.Result denied = cli.run("audit", "list", "--as", "acme/user/alice", "--json");
    assertThat(denied.exitCode()).isEqualTo(4);
    assertThat(denied.err()).contains("not allowed to read the audit trail of account acme");
    assertThat(cli.run("audit", "list", "--as", "acme/user/alice", "--principal", "acme/sa/ci_bot").exitCode())
        .isEqualTo(4);
  }

  @Test
  void badFiltersAreUsageErrors() {
    CliRunner.Result disagree = cli.run("audit", "list", "--principal", "acme/user/alice", "--token", TOKEN);
    assertThat(disagree.exitCode()).isEqualTo(2);
    assertThat(disagree.err()).contains("disagree");
    CliRunner.Result badTime = cli.run("audit", "list", "--since", "yesterday");
    assertThat(badTime.exitCode()).isEqualTo(2);
    assertThat(badTime.err()).contains("--since 'yesterday' is not a time");
    CliRunner.Result backwards = cli.run("audit", "list", "--since", "1h", "--until", "2h");
    assertThat(backwards.exitCode()).isEqualTo(2);
    assertThat(backwards.err()).contains("'since' must be before 'until'");
    assertThat(cli.run("audit", "list", "--after", "nonsense").exitCode()).isEqualTo(2);
  }

  @Test
  void expiringTokensShowTheThresholdsAlreadyNotified() {
    cli.run("tokens", "issue", KEY + "/soon", "--expires", "5d").ok();
    cli.run("tokens", "issue", KEY + "/later", "--expires", "20d").ok();
    List<Map<String, Object>> before = cli.run("tokens", "expiring", "--json").ok().items();
    assertThat(before).extracting(m -> m.get("notified")).containsExactly(List.of(), List.of());

    // a node of the application runs the notice job on the same database
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + cli.db);
    ds.setUser("sa");
    try (Latchkey node = Latchkey.builder().store(JdbcTokenStore.builder(ds).build())
        .peppers(PepperKeyset.parse("1:" + cli.pepperKey)).tokenPrefix("lk").clock(cli.clock)
        .expiryNotices(n -> { }).build()) {
      assertThat(node.sendExpiryNotices()).isEqualTo(2);
      cli.clock.advance(Duration.ofDays(14));
      assertThat(node.sendExpiryNotices()).isEqualTo(1);
    }
    CliRunner.Result after = cli.run("tokens", "expiring", "--json").ok();
    assertThat(after.items()).extracting(m -> m.get("path"), m -> m.get("notified"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(KEY + "/later", List.of("30d", "7d")));
    assertThat(cli.run("tokens", "expiring").ok().out()).contains("NOTIFIED", "30d, 7d");
  }
}
