package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.jspecify.annotations.Nullable;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Roles and permissions are separate grants: a role name never answers a permission check, nor a
 * permission name a role check, even when the two are spelled the same.
 */
class VerifiedTest {
  private static final PrincipalRef BOT = PrincipalRef.serviceAccount("acme", "bot");

  private static Verified verified(Set<String> roles, Set<String> permissions) {
    return new Verified(BOT, Scope.account("acme"), roles, permissions, BOT.apiKey("k").token("t"),
        "4q8Zr1XbT0aP2wKe", null);
  }

  @Test
  void aRoleIsNotAPermissionNorAPermissionARole() {
    Verified v = verified(Set.of("deployer", "auditor"), Set.of("deploy", "read"));
    assertThat(v.roles()).containsExactlyInAnyOrder("deployer", "auditor");
    assertThat(v.permissions()).containsExactlyInAnyOrder("deploy", "read");
    assertThat(v.hasPermission("deployer")).isFalse();
    assertThat(v.hasPermission("auditor")).isFalse();
    assertThat(v.hasRole("deploy")).isFalse();
    assertThat(v.hasRole("read")).isFalse();
    assertThat(v.hasPermission("deploy")).isTrue();
    assertThat(v.hasRole("deployer")).isTrue();
  }

  @Test
  void aRoleSpelledLikeAPermissionGrantsNothing() {
    Verified v = verified(Set.of("admin", "deploy"), Set.of());
    assertThat(v.permissions()).isEmpty();
    assertThat(v.hasPermission("admin")).isFalse();
    assertThat(v.hasPermission("deploy")).isFalse();
    assertThat(v.hasRole("admin")).isTrue();
  }

  @Test
  void theSetsAreCopies() {
    Set<String> roles = new HashSet<>(Set.of("deployer"));
    Set<String> permissions = new HashSet<>(Set.of("deploy"));
    Verified v = verified(roles, permissions);
    roles.add("admin");
    permissions.add("admin");
    assertThat(v.roles()).containsExactly("deployer");
    assertThat(v.permissions()).containsExactly("deploy");
  }
}
