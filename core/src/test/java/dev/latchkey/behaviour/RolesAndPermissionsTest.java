package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewUser;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenValue;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A verified token carries its principal's roles and its permissions as two separate sets, on every
 * verification path (first check, cached check, re-read after the cache is dropped, previous secret
 * in its grace period, after edits): a role name never satisfies a permission check, even when it is
 * spelled like a permission the principal lacks.
 */
class RolesAndPermissionsTest {
  private final World w = new World();

  @AfterEach
  void close() {
    w.close();
  }

  private static void separate(VerificationResult r, Set<String> roles, Set<String> permissions) {
    assertThat(r).isInstanceOf(Verified.class);
    Verified v = (Verified) r;
    assertThat(v.roles()).as("roles").isEqualTo(roles);
    assertThat(v.permissions()).as("permissions").isEqualTo(permissions);
    for (String role : roles) {
      assertThat(v.hasPermission(role)).as("hasPermission(%s), a role only", role).isEqualTo(permissions.contains(role));
      assertThat(v.hasRole(role)).isTrue();
    }
    for (String permission : permissions) {
      assertThat(v.hasRole(permission)).as("hasRole(%s), a permission only", permission).isEqualTo(roles.contains(permission));
    }
  }

  private void onEveryPath(TokenValue token, Set<String> roles, Set<String> permissions) {
    separate(w.verifier.verify(token), roles, permissions);   // first check on this node, or after an edit
    separate(w.verifier.verify(token), roles, permissions);   // cached
    w.latchkey.invalidateCache();
    separate(w.verifier.verify(token), roles, permissions);   // re-read from the store
  }

  @Test
  void aServiceAccountsRolesNeverBecomePermissions() {
    Set<String> roles = Set.of("deployer", "admin", "read"); // "admin" and "read" are spelled like permissions
    Set<String> permissions = Set.of("deploy");
    Principal bot = w.m.createServiceAccount(w.system, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")
        .withRoles(roles).withPermissions(permissions));
    IssuedToken t = w.token(bot.ref(), "k", "t");
    onEveryPath(t.value(), roles, permissions);

    IssuedToken rotated = w.m.rotateToken(w.system, t.ref(), Rotation.withGrace(Duration.ofHours(1)));
    onEveryPath(t.value(), roles, permissions);               // the previous secret, in its grace period
    onEveryPath(rotated.value(), roles, permissions);
  }

  @Test
  void aUsersRolesNeverBecomePermissions() {
    Set<String> roles = Set.of("auditor", "deploy");
    Set<String> permissions = Set.of("read");
    Principal carol = w.m.createUser(w.system, NewUser.of("acme", "carol", "Carol")
        .withRoles(roles).withPermissions(permissions));
    onEveryPath(w.token(carol.ref(), "k", "t").value(), roles, permissions);
  }

  @Test
  void editsChangeOnlyTheSetTheyName() {
    Principal bot = w.m.createServiceAccount(w.system, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")
        .withRoles(Set.of("deployer")).withPermissions(Set.of("deploy")));
    TokenValue token = w.token(bot.ref(), "k", "t").value();
    onEveryPath(token, Set.of("deployer"), Set.of("deploy"));

    w.m.editPrincipal(w.system, bot.ref(), PrincipalEdit.none().roles(Set.of("deployer", "admin")));
    onEveryPath(token, Set.of("deployer", "admin"), Set.of("deploy"));

    w.m.editPrincipal(w.system, bot.ref(), PrincipalEdit.none().permissions(Set.of()));
    onEveryPath(token, Set.of("deployer", "admin"), Set.of());

    w.m.editPrincipal(w.system, bot.ref(), PrincipalEdit.none().roles(Set.of()).permissions(Set.of("admin")));
    onEveryPath(token, Set.of(), Set.of("admin"));
  }
}
