package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Restriction;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import dev.latchkey.Verified;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Management rules the other behaviour tests left unchecked (each found as a surviving PIT mutant
 * of the manager run): a restricted actor widening a key, a key's restriction on roles, a principal
 * deleted and created again, a revocation made elsewhere made effective here, and what the audit
 * events of deletions and edits say.
 */
class ManagerEdgesTest {
  private final World w = new World();

  @AfterEach
  void close() {
    w.close();
  }

  private AuditEvent lastEvent() {
    return w.audit.get(w.audit.size() - 1);
  }

  @Test
  void anActorThroughARestrictedTokenCannotWidenAKeyBeyondItsOwnRestriction() {
    // ops, through a token usable only from 10.0.0.0/8, carrying every right it needs to manage ci
    Restriction office = Restriction.from("10.0.0.0/8");
    ApiKeyRef key = w.ci.ref().apiKey("k");
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K").restrictedTo(office));
    w.m.createApiKey(w.system, NewApiKey.of(w.ops.ref(), "ops_key", "Ops"));
    IssuedToken opsToken = w.m.issueToken(w.system, NewToken.of(w.ops.ref().apiKey("ops_key"), "t", "T")
        .restrictedTo(office));
    Actor restricted = Actor.of((Verified) w.verifier.verify(opsToken.value(),
        dev.latchkey.RequestContext.fromAddress("10.1.2.3")));

    w.m.editApiKey(restricted, key, ApiKeyEdit.none().name("Renamed"));
    assertThat(w.m.getApiKey(w.system, key).name()).as("an edit within its rights goes through").isEqualTo("Renamed");
    assertThatThrownBy(() -> w.m.editApiKey(restricted, key, ApiKeyEdit.none().restriction(Restriction.NONE)))
        .as("usable from anywhere: wider than the acting token")
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("wider restriction");
    assertThat(w.m.getApiKey(w.system, key).restriction()).isEqualTo(office);
    w.m.editApiKey(World.as(w.ops), key, ApiKeyEdit.none().restriction(Restriction.NONE));
    assertThat(w.m.getApiKey(w.system, key).restriction()).as("ops itself, unrestricted, may")
        .isEqualTo(Restriction.NONE);
  }

  @Test
  void aKeysRestrictionOnRolesBindsTheRolesItsTokensMayCarry() {
    String role = AccessPolicy.ACCOUNT_ADMIN_ROLE;
    w.m.createApiKey(w.system, NewApiKey.of(w.admin.ref(), "none", "No roles")
        .restrictedTo(Restriction.NONE.withRoles(Set.of())));
    assertThatThrownBy(() -> w.m.issueToken(w.system, NewToken.of(w.admin.ref().apiKey("none"), "t", "T")
        .restrictedTo(Restriction.NONE.withRoles(Set.of(role)))))
        .as("admin holds the role, its key allows no role")
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("its API key's restriction does not allow role '" + role + "'");

    w.m.createApiKey(w.system, NewApiKey.of(w.admin.ref(), "admin", "Admin role")
        .restrictedTo(Restriction.NONE.withRoles(Set.of(role))));
    IssuedToken t = w.m.issueToken(w.system, NewToken.of(w.admin.ref().apiKey("admin"), "t", "T")
        .restrictedTo(Restriction.NONE.withRoles(Set.of(role))));
    assertThat(((Verified) w.verifier.verify(t.value())).roles()).containsExactly(role);
  }

  @Test
  void aPrincipalDeletedAndCreatedAgainVerifiesWithItsNewGrantsOnly() {
    IssuedToken before = w.token(w.ci.ref(), "k", "t");
    assertThat(((Verified) w.verifier.verify(before.value())).permissions()).containsExactlyInAnyOrder("deploy", "read");
    w.m.deletePrincipal(w.system, w.ci.ref());
    w.m.createServiceAccount(w.system, NewServiceAccount.of(Scope.project("acme", "eng", "api"), "ci", "CI again")
        .withPermissions(Set.of("read")));
    IssuedToken after = w.token(w.ci.ref(), "k", "t");
    assertThat(((Verified) w.verifier.verify(after.value())).permissions())
        .as("the deleted principal's cached grants are gone with it").containsExactly("read");
    assertThat(w.verifier.verify(before.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
  }

  @Test
  void revokingATokenRevokedElsewhereMakesItEffectiveHereAtOnce() {
    // no change feed and a long bound: this node learns of the other node's revocation only from
    // its own call
    SimpleTokenStore shared = new SimpleTokenStore();
    try (World here = new World(new VerificationCacheTest.NoFeedStore(shared), b -> b.stalenessBound(Duration.ofHours(1)));
        Latchkey elsewhere = Latchkey.builder().store(shared).peppers(World.PEPPERS).tokenPrefix("acme")
            .clock(here.clock).build()) {
      IssuedToken t = here.token(here.ci.ref(), "k", "t");
      assertThat(here.verifier.verify(t.value())).isInstanceOf(Verified.class);
      elsewhere.manager().revokeToken(Actor.system(), t.ref(), null);
      assertThat(here.verifier.verify(t.value())).as("still cached here").isInstanceOf(Verified.class);

      long audited = here.audit.size();
      assertThat(here.m.revokeToken(here.system, t.ref(), null).status()).isEqualTo(dev.latchkey.TokenStatus.REVOKED);
      assertThat(here.audit).as("nothing revoked by this call").hasSize((int) audited);
      assertThat(here.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
    }
  }

  @Test
  void deletingAnAccountIsAudited() {
    w.m.createAccount(w.system, "other", "Other");
    w.m.deleteAccount(w.system, "other");
    assertThat(lastEvent().action()).isEqualTo(AuditAction.ACCOUNT_DELETED);
    assertThat(lastEvent().accountId()).isEqualTo("other");
  }

  @Test
  void auditEventsOfIssuesAndEditsSayWhatChangedAndOnlyThat() {
    ApiKeyRef key = w.ci.ref().apiKey("k");
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    IssuedToken plain = w.m.issueToken(w.system, NewToken.of(key, "plain", "Plain"));
    assertThat(lastEvent().details()).doesNotContainKey("restriction");
    w.m.issueToken(w.system, NewToken.of(key, "narrow", "Narrow").restrictedTo(Restriction.permissions("read")));
    assertThat(lastEvent().details()).containsEntry("restriction", Restriction.permissions("read").toString());

    w.m.editApiKey(w.system, key, ApiKeyEdit.none().name("Renamed"));
    assertThat(lastEvent().action()).isEqualTo(AuditAction.API_KEY_UPDATED);
    assertThat(lastEvent().details()).doesNotContainKeys("restrictionBefore", "restrictionAfter");
    w.m.editApiKey(w.system, key, ApiKeyEdit.none().restriction(Restriction.permissions("read")));
    assertThat(lastEvent().details()).containsEntry("restrictionBefore", Restriction.NONE.toString())
        .containsEntry("restrictionAfter", Restriction.permissions("read").toString());

    w.m.editToken(w.system, plain.ref(), TokenEdit.none().name("Renamed"));
    assertThat(lastEvent().action()).isEqualTo(AuditAction.TOKEN_UPDATED);
    assertThat(lastEvent().details()).doesNotContainKey("expiresAt");
    w.m.editToken(w.system, plain.ref(), TokenEdit.none().expiration(Expiration.after(Duration.ofDays(3))));
    assertThat(lastEvent().details()).containsEntry("expiresAt", World.START.plus(Duration.ofDays(3)).toString());
  }
}
