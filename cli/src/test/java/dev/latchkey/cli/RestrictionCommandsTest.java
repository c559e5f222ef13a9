package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restrictions and allow-lists from the command line: set on create, issue and edit; shown in listings. */
class RestrictionCommandsTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";
  static final String TOKEN = KEY + "/pipeline";

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("sa", "create", "acme/ci_bot", "--permission", "deploy", "--permission", "read").ok();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> restriction(Map<String, Object> view) {
    return (Map<String, Object>) view.get("restriction");
  }

  @Test
  void issueARestrictedTokenAndSeeItEverywhere() {
    cli.run("keys", "create", KEY).ok();
    String token = cli.run("tokens", "issue", TOKEN, "--only-permissions", "read", "--allow-from",
        "10.0.0.0/8,2001:db8::/32").ok().token();

    Map<String, Object> got = cli.run("tokens", "get", TOKEN, "--json").ok().json();
    assertThat(restriction(got)).containsEntry("permissions", List.of("read")).containsEntry("roles", null)
        .containsEntry("allowedAddresses", List.of("10.0.0.0/8", "2001:db8::/32"));
    assertThat(cli.run("tokens", "list", KEY).ok().out()).contains("RESTRICTION",
        "permissions=[read] roles=* from=[10.0.0.0/8, 2001:db8::/32]");

    CliRunner.Result fromInside = cli.runWithInput(token, "tokens", "verify", "--from", "10.9.8.7", "--json").ok();
    assertThat(fromInside.json()).containsEntry("valid", true).containsEntry("permissions", List.of("read"));
    CliRunner.Result outside = cli.runWithInput(token, "tokens", "verify", "--from", "192.0.2.1", "--json");
    assertThat(outside.exitCode()).isEqualTo(1);
    assertThat(outside.json()).containsEntry("reason", "ADDRESS_NOT_ALLOWED");
    CliRunner.Result noAddress = cli.runWithInput(token, "tokens", "verify", "--json");
    assertThat(noAddress.json()).containsEntry("reason", "ADDRESS_NOT_ALLOWED");
  }

  @Test
  void editNarrowsAndWidensWithinTheOwnersRights() {
    cli.run("keys", "create", KEY, "--only-permissions", "deploy,read").ok();
    assertThat(restriction(cli.run("keys", "get", KEY, "--json").ok().json()))
        .containsEntry("permissions", List.of("deploy", "read"));
    assertThat(cli.run("keys", "list", "acme/sa/ci_bot").ok().out()).contains("permissions=[deploy, read]");
    String token = cli.run("tokens", "issue", TOKEN).ok().token();

    cli.run("tokens", "edit", TOKEN, "--only-permissions", "read").ok();
    assertThat(cli.runWithInput(token, "tokens", "verify", "--json").ok().json())
        .containsEntry("permissions", List.of("read"));
    cli.run("tokens", "edit", TOKEN, "--allow-from", "127.0.0.1").ok();
    Map<String, Object> edited = restriction(cli.run("tokens", "get", TOKEN, "--json").ok().json());
    assertThat(edited).as("each option replaces its part only").containsEntry("permissions", List.of("read"))
        .containsEntry("allowedAddresses", List.of("127.0.0.1/32"));

    CliRunner.Result beyond = cli.run("tokens", "edit", TOKEN, "--only-permissions", "admin");
    assertThat(beyond.exitCode()).isNotZero();
    assertThat(beyond.err()).contains("does not hold permission 'admin'");

    cli.run("keys", "edit", KEY, "--only-permissions", "deploy").ok();
    assertThat(cli.runWithInput(token, "tokens", "verify", "--from", "127.0.0.1", "--json").ok().json())
        .as("key deploy, token read: nothing left").containsEntry("permissions", List.of());

    cli.run("tokens", "edit", TOKEN, "--clear-restriction").ok();
    cli.run("keys", "edit", KEY, "--clear-restriction").ok();
    assertThat(cli.runWithInput(token, "tokens", "verify", "--json").ok().json())
        .containsEntry("permissions", List.of("deploy", "read"));
  }

  @Test
  void badRestrictionsAreUsageErrorsBeforeAnythingHappens() {
    cli.run("keys", "create", KEY).ok();
    CliRunner.Result host = cli.run("tokens", "issue", TOKEN, "--allow-from", "proxy.example.com");
    assertThat(host.exitCode()).isNotZero();
    assertThat(host.err()).contains("host names are not resolved");
    CliRunner.Result both = cli.run("tokens", "edit", TOKEN, "--clear-restriction", "--only-roles", "x");
    assertThat(both.exitCode()).isNotZero();
    assertThat(both.err()).contains("not both");
    CliRunner.Result notHeld = cli.run("tokens", "issue", TOKEN, "--only-permissions", "admin");
    assertThat(notHeld.exitCode()).isNotZero();
    assertThat(notHeld.err()).contains("can only narrow");
    assertThat(cli.run("tokens", "list", KEY, "--json").ok().out()).doesNotContain("pipeline");
    CliRunner.Result badFrom = cli.runWithInput("x", "tokens", "verify", "--from", "localhost");
    assertThat(badFrom.exitCode()).isNotZero();
    assertThat(badFrom.err()).contains("--from");
  }
}
