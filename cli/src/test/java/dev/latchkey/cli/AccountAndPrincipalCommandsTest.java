package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountAndPrincipalCommandsTest {
  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
  }

  @Test
  void accountsCreateListGetDelete() {
    CliRunner.Result created = cli.run("accounts", "create", "acme", "--name", "Acme Inc.").ok();
    assertThat(created.out()).contains("Created account acme.").contains("Acme Inc.");
    cli.run("accounts", "create", "globex").ok();

    CliRunner.Result list = cli.run("accounts", "list").ok();
    assertThat(list.out()).contains("ID", "NAME", "acme", "Acme Inc.", "globex");

    List<Map<String, Object>> items = cli.run("accounts", "list", "--json").ok().items();
    assertThat(items).extracting(m -> m.get("id")).containsExactly("acme", "globex");
    assertThat(items.get(0)).containsEntry("name", "Acme Inc.").containsEntry("createdAt", "2026-06-01T00:00:00Z");
    assertThat(items.get(1)).containsEntry("name", "globex"); // the name defaults to the identifier

    Map<String, Object> page = cli.run("accounts", "list", "--json", "--limit", "1").ok().json();
    assertThat((List<?>) page.get("items")).hasSize(1);
    assertThat(page.get("nextCursor")).isNotNull();
    assertThat(cli.run("accounts", "list", "--limit", "1").ok().out()).contains("(more: repeat with --after ");
    List<Map<String, Object>> next = cli.run("accounts", "list", "--json", "--limit", "1", "--after",
        (String) page.get("nextCursor")).ok().items();
    assertThat(next).extracting(m -> m.get("id")).containsExactly("globex");

    assertThat(cli.run("accounts", "get", "acme", "--json").ok().json()).containsEntry("id", "acme");

    assertThat(cli.run("accounts", "delete", "globex", "--yes", "--json").ok().json())
        .containsEntry("deleted", "globex").containsEntry("type", "account");
    assertThat(cli.run("accounts", "get", "globex").exitCode()).isEqualTo(1);
  }

  @Test
  void theDefaultDatabaseIsAnOwnerOnlyFolderInTheHomeFolder() throws Exception {
    cli.runRaw(null, "accounts", "create", "acme").ok();
    java.nio.file.Path folder = cli.home.resolve(".latchkey");
    assertThat(folder.resolve("latchkey.mv.db")).isRegularFile();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    assertThat(cli.runRaw(null, "accounts", "list", "--json").ok().items()).hasSize(1);
    assertThat(cli.run("accounts", "list", "--json").ok().items()).isEmpty(); // --db is another database
  }

  @Test
  void usersCreateListGetEditDisableEnableDelete() {
    cli.run("accounts", "create", "acme").ok();
    Map<String, Object> alice = cli.run("users", "create", "acme/alice", "--name", "Alice", "--role", "account_admin",
        "--permission", "a.read,b:write", "--json").ok().json();
    assertThat(alice).containsEntry("path", "acme/user/alice").containsEntry("type", "user")
        .containsEntry("scope", "acme").containsEntry("enabled", true)
        .containsEntry("roles", List.of("account_admin")).containsEntry("permissions", List.of("a.read", "b:write"));
    cli.run("users", "create", "acme/user/bob").ok(); // the printed path form works too

    CliRunner.Result list = cli.run("users", "list", "acme").ok();
    assertThat(list.out()).contains("acme/user/alice", "acme/user/bob", "account_admin");
    assertThat(cli.run("users", "list", "acme", "--json").ok().items()).hasSize(2);

    assertThat(cli.run("users", "get", "acme/user/alice", "--json").ok().json()).containsEntry("name", "Alice");

    Map<String, Object> edited = cli.run("users", "edit", "acme/bob", "--name", "Robert", "--description", "ops",
        "--role", "viewer", "--json").ok().json();
    assertThat(edited).containsEntry("name", "Robert").containsEntry("description", "ops")
        .containsEntry("roles", List.of("viewer"));
    assertThat(cli.run("users", "edit", "acme/bob", "--clear-roles", "--json").ok().json())
        .containsEntry("roles", List.of());

    assertThat(cli.run("users", "disable", "acme/bob", "--json").ok().json()).containsEntry("enabled", false);
    assertThat(cli.run("users", "disable", "acme/bob").ok().out()).contains("tokens stop working");
    assertThat(cli.run("users", "enable", "acme/bob", "--json").ok().json()).containsEntry("enabled", true);

    assertThat(cli.run("users", "delete", "acme/bob", "--json").ok().json())
        .containsEntry("deleted", "acme/user/bob").containsEntry("type", "user");
    assertThat(cli.run("users", "get", "acme/bob").exitCode()).isEqualTo(1);
  }

  @Test
  void serviceAccountsAtEveryScope() {
    cli.run("accounts", "create", "acme").ok();
    assertThat(cli.run("service-accounts", "create", "acme/root_bot", "--json").ok().json())
        .containsEntry("path", "acme/sa/root_bot").containsEntry("type", "service_account")
        .containsEntry("scope", "acme");
    assertThat(cli.run("sa", "create", "acme/org_bot", "--scope", "acme/platform", "--json").ok().json())
        .containsEntry("scope", "acme/platform");
    Map<String, Object> ci = cli.run("sa", "create", "acme/ci_bot", "--scope", "acme/platform/deploys", "--name",
        "CI bot", "--description", "deploys things", "--permission", "deploy:write", "--role", "deployer",
        "--json").ok().json();
    assertThat(ci).containsEntry("scope", "acme/platform/deploys").containsEntry("description", "deploys things")
        .containsEntry("permissions", List.of("deploy:write")).containsEntry("roles", List.of("deployer"));

    assertThat(cli.run("sa", "list", "acme", "--json").ok().items()).extracting(m -> m.get("path"))
        .containsExactly("acme/sa/ci_bot", "acme/sa/org_bot", "acme/sa/root_bot");
    assertThat(cli.run("service-accounts", "list", "acme").ok().out()).contains("acme/platform/deploys");
    // users and service accounts are listed separately
    assertThat(cli.run("users", "list", "acme", "--json").ok().items()).isEmpty();
    assertThat(cli.run("users", "list", "acme").ok().out()).contains("(none)");

    assertThat(cli.run("sa", "edit", "acme/sa/ci_bot", "--permission", "deploy:read", "--json").ok().json())
        .containsEntry("permissions", List.of("deploy:read"));
    assertThat(cli.run("sa", "disable", "acme/ci_bot", "--json").ok().json()).containsEntry("enabled", false);
    assertThat(cli.run("sa", "enable", "acme/ci_bot", "--json").ok().json()).containsEntry("enabled", true);
    assertThat(cli.run("sa", "get", "acme/ci_bot").ok().out()).contains("acme/platform/deploys", "deploy:read");
    assertThat(cli.run("sa", "delete", "acme/org_bot", "--json").ok().json())
        .containsEntry("deleted", "acme/sa/org_bot").containsEntry("type", "service account");
  }

  @Test
  void humanOutputEscapesControlCharactersButJsonKeepsThem() {
    cli.run("accounts", "create", "acme").ok();
    cli.run("sa", "create", "acme/bot", "--description", "line one\nline two\tend").ok();
    String text = cli.run("sa", "get", "acme/bot").ok().out();
    assertThat(text).contains("line one\\nline two\\tend").doesNotContain("one\n");
    assertThat(cli.run("sa", "get", "acme/bot", "--json").ok().json())
        .containsEntry("description", "line one\nline two\tend");
    // stored text can never carry a terminal escape: the library refuses it, the CLI says so
    CliRunner.Result refused = cli.run("sa", "edit", "acme/bot", "--description", "\u001b[31mred");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("control characters").doesNotContain("\u001b");
  }
}
