package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCommandsTest {
  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("users", "create", "acme/alice").ok();
    cli.run("sa", "create", "acme/ci_bot", "--scope", "acme/platform/deploys").ok();
  }

  @Test
  void createListGetEditDelete() {
    Map<String, Object> key = cli.run("keys", "create", "acme/sa/ci_bot/ci_key", "--name", "CI key", "--description",
        "for the pipeline", "--tag", "team=platform", "--tag", "env=prod", "--default-token-lifetime", "30d",
        "--json").ok().json();
    assertThat(key).containsEntry("path", "acme/sa/ci_bot/ci_key").containsEntry("owner", "acme/sa/ci_bot")
        .containsEntry("id", "ci_key").containsEntry("name", "CI key").containsEntry("description", "for the pipeline")
        .containsEntry("tags", Map.of("team", "platform", "env", "prod"))
        .containsEntry("scope", "acme/platform/deploys") // a service account's keys live at its scope
        .containsEntry("defaultTokenLifetime", "PT720H");
    Map<String, Object> personal = cli.run("api-keys", "create", "acme/user/alice/laptop", "--json").ok().json();
    assertThat(personal).containsEntry("scope", "acme").containsEntry("name", "laptop");

    assertThat(cli.run("keys", "list", "acme/sa/ci_bot").ok().out())
        .contains("acme/sa/ci_bot/ci_key", "30d", "env=prod, team=platform", "CI key");
    assertThat(cli.run("keys", "list", "acme/sa/ci_bot", "--json").ok().items()).hasSize(1);
    assertThat(cli.run("keys", "list", "acme/user/alice", "--json").ok().items())
        .extracting(m -> m.get("id")).containsExactly("laptop");
    assertThat(cli.run("keys", "get", "acme/sa/ci_bot/ci_key", "--json").ok().json()).isEqualTo(key);

    Map<String, Object> edited = cli.run("keys", "edit", "acme/sa/ci_bot/ci_key", "--name", "Deploy key",
        "--description", "", "--tag", "team=infra", "--json").ok().json();
    assertThat(edited).containsEntry("id", "ci_key").containsEntry("name", "Deploy key")
        .containsEntry("description", "").containsEntry("tags", Map.of("team", "infra"));
    assertThat(cli.run("keys", "edit", "acme/sa/ci_bot/ci_key", "--clear-tags", "--json").ok().json())
        .containsEntry("tags", Map.of());

    cli.run("tokens", "issue", "acme/sa/ci_bot/ci_key/t1").ok();
    assertThat(cli.run("keys", "delete", "acme/sa/ci_bot/ci_key", "--json").ok().json())
        .containsEntry("deleted", "acme/sa/ci_bot/ci_key").containsEntry("type", "API key");
    assertThat(cli.run("keys", "get", "acme/sa/ci_bot/ci_key").exitCode()).isEqualTo(1);
    assertThat(cli.run("tokens", "get", "acme/sa/ci_bot/ci_key/t1").exitCode()).isEqualTo(1);
    assertThat(cli.run("keys", "list", "acme/sa/ci_bot", "--json").ok().items()).isEqualTo(List.of());
  }

  @Test
  void personalKeysOnlyAtAccountScopeAndOnlyForExistingOwners() {
    CliRunner.Result missing = cli.run("keys", "create", "acme/user/nobody/k");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("acme/user/nobody").contains("does not exist");
  }
}
