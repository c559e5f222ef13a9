package dev.latchkey.behaviour;

import static dev.latchkey.testing.World.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.PageRequest;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.StoreException;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.Verified;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The escalations reported in the security-hardening issue, each refused at its first step with
 * nothing written and nothing audited.
 */
class EscalationTest {
  private static final String LEGACY_HASH =
      OpenBSDBCrypt.generate("2b", "legacy-secret-12345".toCharArray(), new byte[16], 4);
  private final World w = new World(b -> b.acceptLegacyTokens(true));
  private int legacyIds;

  @AfterEach
  void close() {
    w.close();
  }

  private void refused(ThrowingCallable call) {
    List<Object> before = StoreSnapshot.of(w.memory);
    int audits = w.audit.size();
    assertThatThrownBy(call).isInstanceOf(PermissionDeniedException.class);
    assertThat(StoreSnapshot.of(w.memory)).as("store unchanged").isEqualTo(before);
    assertThat(w.audit).as("no audit event").hasSize(audits);
  }

  /**
   * The issue's chain: a project-scope service account holding only the service-account management
   * permission creates an API key on an existing account-scope service account with the {@code
   * account_admin} role, issues a token on it, verifies it as the admin and creates an admin user.
   */
  @Test
  void aProjectServiceAccountManagerCannotMintCredentialsForAnAdminServiceAccount() {
    Principal manager = w.m.createServiceAccount(w.system,
        NewServiceAccount.of(Scope.project("acme", "eng", "api"), "proj_mgr", "Project manager")
            .withPermissions(Set.of(AccessPolicy.MANAGE_SERVICE_ACCOUNTS)));
    Principal root = w.m.createServiceAccount(w.system,
        NewServiceAccount.of(Scope.account("acme"), "root_bot", "Root bot")
            .withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE)));
    Actor attacker = as(manager);

    // creating an admin directly was already refused
    refused(() -> w.m.createServiceAccount(attacker, NewServiceAccount.of(Scope.account("acme"), "evil", "Evil")
        .withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE))));
    // the chain's first step: an API key on the existing admin service account
    refused(() -> w.m.createApiKey(attacker, NewApiKey.of(root.ref(), "stolen", "Stolen")));

    // had a key existed (created by the operator), the later steps are refused as well
    w.m.createApiKey(w.system, NewApiKey.of(root.ref(), "ops", "Ops"));
    IssuedToken existing = w.m.issueToken(w.system, NewToken.of(root.ref().apiKey("ops"), "t", "T"));
    refused(() -> w.m.issueToken(attacker, NewToken.of(root.ref().apiKey("ops"), "stolen", "Stolen")));
    refused(() -> w.m.rotateToken(attacker, existing.ref(), Rotation.immediate()));
    assertThat(w.verifier.verify(existing.value())).as("the operator's token is untouched").isInstanceOf(Verified.class);
    assertThat(w.memory.findPrincipal(PrincipalRef.user("acme", "mallory"))).isEmpty();
  }

  /** The issue's lockout: a holder of the user management permission disabled, then deleted, an account admin. */
  @Test
  void aUserManagerCannotDisableOrDeleteAnAccountAdmin() {
    Principal userManager = w.m.createUser(w.system, NewUser.of("acme", "um", "User manager")
        .withPermissions(Set.of(AccessPolicy.MANAGE_USERS)));
    IssuedToken adminToken = w.token(w.admin.ref(), "k", "t");
    Actor attacker = as(userManager);

    refused(() -> w.m.setEnabled(attacker, w.admin.ref(), false));
    refused(() -> w.m.deletePrincipal(attacker, w.admin.ref()));
    refused(() -> w.m.editPrincipal(attacker, w.admin.ref(), PrincipalEdit.none().roles(Set.of())));
    refused(() -> w.m.revokeToken(attacker, adminToken.ref()));
    assertThat(w.verifier.verify(adminToken.value())).isInstanceOf(Verified.class);
  }

  @Test
  void theActorsScopeBoundsWhatItManagesAndMintsFor() {
    Principal lead = w.m.createServiceAccount(w.system,
        NewServiceAccount.of(Scope.project("acme", "eng", "api"), "lead", "Project lead").withPermissions(
            Set.of(AccessPolicy.MANAGE_SERVICE_ACCOUNTS, AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS)));
    Principal sibling = w.m.createServiceAccount(w.system,
        NewServiceAccount.of(Scope.project("acme", "eng", "web"), "web_bot", "Web bot"));
    Principal parent = w.m.createServiceAccount(w.system, NewServiceAccount.of(Scope.org("acme", "eng"), "org_bot", "Org"));
    Actor a = as(lead);

    Principal helper = w.m.createServiceAccount(a,
        NewServiceAccount.of(Scope.project("acme", "eng", "api"), "helper", "Helper"));
    w.m.createApiKey(a, NewApiKey.of(helper.ref(), "k", "K"));
    w.m.issueToken(a, NewToken.of(helper.ref().apiKey("k"), "t", "T"));
    refused(() -> w.m.createServiceAccount(a, NewServiceAccount.of(Scope.org("acme", "eng"), "up", "Up")));
    refused(() -> w.m.createServiceAccount(a, NewServiceAccount.of(Scope.account("acme"), "top", "Top")));
    refused(() -> w.m.createServiceAccount(a, NewServiceAccount.of(Scope.project("acme", "eng", "web"), "side", "Side")));
    refused(() -> w.m.createApiKey(a, NewApiKey.of(sibling.ref(), "k", "K")));
    refused(() -> w.m.setEnabled(a, sibling.ref(), false));
    refused(() -> w.m.deletePrincipal(a, parent.ref()));
    refused(() -> w.m.createApiKey(a, NewApiKey.of(parent.ref(), "k", "K")));
  }

  @Test
  void managingAndMintingAreSeparatePermissions() {
    Principal manager = w.m.createUser(w.system, NewUser.of("acme", "mgr", "Manager")
        .withPermissions(Set.of(AccessPolicy.MANAGE_SERVICE_ACCOUNTS, "deploy", "read")));
    Principal minter = w.m.createUser(w.system, NewUser.of("acme", "minter", "Minter")
        .withPermissions(Set.of(AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS, "deploy", "read")));
    IssuedToken existing = w.token(w.ci.ref(), "k", "t");

    // the manager creates, edits and disables service accounts but gets no credential of them
    Principal bot = w.m.createServiceAccount(as(manager), NewServiceAccount.of(Scope.account("acme"), "bot", "Bot"));
    w.m.editPrincipal(as(manager), w.ci.ref(), PrincipalEdit.none().name("CI renamed"));
    refused(() -> w.m.createApiKey(as(manager), NewApiKey.of(w.ci.ref(), "k2", "K2")));
    refused(() -> w.m.issueToken(as(manager), NewToken.of(w.ci.ref().apiKey("k"), "t2", "T2")));
    refused(() -> w.m.rotateToken(as(manager), existing.ref(), Rotation.immediate()));
    w.m.revokeToken(as(manager), existing.ref()); // managing existing credentials is part of managing

    // the minter issues credentials but does not create, disable or delete service accounts
    w.m.createApiKey(as(minter), NewApiKey.of(w.ci.ref(), "k2", "K2"));
    IssuedToken minted = w.m.issueToken(as(minter), NewToken.of(w.ci.ref().apiKey("k2"), "t", "T"));
    w.m.rotateToken(as(minter), minted.ref(), Rotation.immediate());
    refused(() -> w.m.createServiceAccount(as(minter), NewServiceAccount.of(Scope.account("acme"), "bot2", "Bot 2")));
    refused(() -> w.m.setEnabled(as(minter), bot.ref(), false));
    refused(() -> w.m.deletePrincipal(as(minter), w.ci.ref()));
    refused(() -> w.m.editPrincipal(as(minter), w.ci.ref(), PrincipalEdit.none().name("x")));
  }

  @Test
  void personalCredentialsAreMintedAndEditedOnlyByTheirOwnUser() {
    var key = w.m.createApiKey(as(w.alice), NewApiKey.of(w.alice.ref(), "k", "K"));
    IssuedToken mine = w.m.issueToken(as(w.alice), NewToken.of(key.ref(), "t", "T"));
    Actor admin = as(w.admin);

    refused(() -> w.m.createApiKey(admin, NewApiKey.of(w.alice.ref(), "k2", "K2")));
    refused(() -> w.m.issueToken(admin, NewToken.of(key.ref(), "t2", "T2")));
    refused(() -> w.m.rotateToken(admin, mine.ref(), Rotation.immediate()));
    refused(() -> w.m.importToken(admin, legacy(mine.ref().apiKey().token("old"))));
    refused(() -> w.m.editToken(admin, mine.ref(), TokenEdit.none().name("x")));
    refused(() -> w.m.editApiKey(admin, key.ref(), ApiKeyEdit.none().name("x")));
    assertThat(w.verifier.verify(mine.value())).isInstanceOf(Verified.class);

    // what an admin may do: read, list, revoke, delete
    assertThat(w.m.listTokens(admin, key.ref(), PageRequest.first()).items()).hasSize(1);
    assertThat(w.m.getApiKey(admin, key.ref())).isEqualTo(key);
    w.m.revokeToken(admin, mine.ref());
    w.m.deleteApiKey(admin, key.ref());

    // the system actor (bootstrap, the operator CLI) keeps every right
    w.m.createApiKey(w.system, NewApiKey.of(w.alice.ref(), "ops", "Ops"));
    w.m.issueToken(w.system, NewToken.of(w.alice.ref().apiKey("ops"), "t", "T"));
    w.m.importToken(w.system, legacy(w.alice.ref().apiKey("ops").token("old")));
  }

  @Test
  void importingIsForTheSystemActorAndAccountAdmins() {
    Principal minter = w.m.createUser(w.system, NewUser.of("acme", "minter", "Minter")
        .withPermissions(Set.of(AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS, "deploy", "read")));
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    w.m.issueToken(as(minter), NewToken.of(w.ci.ref().apiKey("k"), "native", "Native"));
    refused(() -> w.m.importToken(as(minter), legacy(w.ci.ref().apiKey("k").token("old"))));
    refused(() -> w.m.importToken(as(w.ops), legacy(w.ci.ref().apiKey("k").token("old"))));
    w.m.importToken(as(w.admin), legacy(w.ci.ref().apiKey("k").token("old")));

    var own = w.m.createApiKey(as(w.alice), NewApiKey.of(w.alice.ref(), "k", "K"));
    refused(() -> w.m.importToken(as(w.alice), legacy(own.ref().token("old"))));
  }

  /** A legacy token to import under {@code ref}; each gets its own legacy id. */
  private LegacyToken legacy(TokenRef ref) {
    return LegacyToken.of(ref, "Imported", "legacyacct", "old" + (++legacyIds), LEGACY_HASH,
        Expiration.after(Duration.ofDays(1)));
  }

  /** A policy is host code: its bugs are its own exceptions, not database errors. */
  @Test
  void anExceptionFromACustomPolicyPropagatesAsItself() {
    try (World broken = new World(b -> b.accessPolicy((actor, action, accountId, subject) -> {
      throw new IllegalStateException("policy bug");
    }))) {
      assertThatThrownBy(() -> broken.m.createApiKey(as(broken.alice), NewApiKey.of(broken.alice.ref(), "k", "K")))
          .isExactlyInstanceOf(IllegalStateException.class).hasMessage("policy bug");
      // storage failures are still StoreExceptions, from the store itself
      broken.store.failing = true;
      assertThatThrownBy(() -> broken.m.getAccount(broken.system, "acme"))
          .isExactlyInstanceOf(StoreException.class).hasMessage("simulated outage");
    }
  }
}
