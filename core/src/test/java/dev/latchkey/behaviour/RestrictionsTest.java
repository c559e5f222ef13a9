package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditAction;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IpAddress;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.PageRequest;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.RequestContext;
import dev.latchkey.Restriction;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenValue;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testing.World;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scoped tokens and allow-lists through the public API (issue 11, parts 1 and 2): a verified token
 * carries its principal's current rights narrowed by its key's and its own restriction, on every
 * path; a restriction can only narrow; narrowing takes effect at once; allow-lists need an address.
 */
class RestrictionsTest {
  private static final RequestContext INSIDE = RequestContext.fromAddress("10.1.2.3");
  private static final RequestContext OUTSIDE = RequestContext.fromAddress("192.0.2.1");
  private static final Rejected NOT_ALLOWED = Rejected.of(RejectReason.ADDRESS_NOT_ALLOWED);

  private final World w = new World();
  private final ApiKeyRef key = w.ci.ref().apiKey("k");

  @AfterEach
  void close() {
    w.close();
  }

  private IssuedToken issue(String id, Restriction r) {
    if (w.memory.findApiKey(key).isEmpty()) {
      w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    }
    return w.m.issueToken(w.system, NewToken.of(key, id, "T " + id).restrictedTo(r));
  }

  private Set<String> permissionsOnEveryPath(TokenValue t, RequestContext c) {
    Verified first = (Verified) w.verifier.verify(t, c);
    Verified cached = (Verified) w.verifier.verify(t, c);
    w.latchkey.invalidateCache();
    Verified reread = (Verified) w.verifier.verify(t, c);
    assertThat(cached.permissions()).isEqualTo(first.permissions());
    assertThat(reread.permissions()).isEqualTo(first.permissions());
    return first.permissions();
  }

  private VerificationResult verify(IssuedToken t, RequestContext c) {
    return w.verifier.verify(t.value().reveal(), c);
  }

  @Test
  void aRestrictedTokenCarriesTheIntersection() {
    IssuedToken t = issue("t", Restriction.permissions("read"));
    assertThat(permissionsOnEveryPath(t.value(), RequestContext.NONE)).containsExactly("read");
    Verified v = (Verified) w.verifier.verify(t.value());
    assertThat(v.tokenRestriction()).isEqualTo(Restriction.permissions("read"));
    assertThat(v.keyRestriction()).isEqualTo(Restriction.NONE);
    assertThat(w.m.getToken(w.system, t.ref()).restriction()).isEqualTo(Restriction.permissions("read"));
    assertThat(w.m.listTokens(w.system, key, PageRequest.first()).items().get(0).restriction())
        .isEqualTo(Restriction.permissions("read"));
  }

  @Test
  void anUnrestrictedTokenStillCarriesEverything() {
    IssuedToken t = issue("t", Restriction.NONE);
    assertThat(permissionsOnEveryPath(t.value(), RequestContext.NONE)).containsExactlyInAnyOrder("deploy", "read");
  }

  @Test
  void rolesAreNarrowedToo() {
    w.m.editPrincipal(w.system, w.ci.ref(), PrincipalEdit.none().roles(Set.of("builder", "tester")));
    IssuedToken t = issue("t", Restriction.NONE.withRoles(Set.of("tester")));
    Verified v = (Verified) w.verifier.verify(t.value());
    assertThat(v.roles()).containsExactly("tester");
    assertThat(v.permissions()).containsExactlyInAnyOrder("deploy", "read");
  }

  @Test
  void issuingWithAPermissionThePrincipalLacksIsRefused() {
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    assertThatThrownBy(() -> w.m.issueToken(w.system, NewToken.of(key, "t", "T")
        .restrictedTo(Restriction.permissions("read", "admin"))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("a token's restriction can only narrow: acme/sa/ci does not hold permission 'admin'");
    assertThatThrownBy(() -> w.m.issueToken(w.system, NewToken.of(key, "t", "T")
        .restrictedTo(Restriction.NONE.withRoles(Set.of("boss")))))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not hold role 'boss'");
    assertThat(w.m.listTokens(w.system, key, PageRequest.first()).items()).as("nothing issued").isEmpty();
    assertThatThrownBy(() -> w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k2", "K2")
        .restrictedTo(Restriction.permissions("admin"))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("an API key's restriction can only narrow: acme/sa/ci does not hold permission 'admin'");
  }

  @Test
  void theKeysRestrictionNarrowsAllItsTokens() {
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K").restrictedTo(Restriction.permissions("read")));
    IssuedToken t = w.m.issueToken(w.system, NewToken.of(key, "t", "T"));
    assertThat(permissionsOnEveryPath(t.value(), RequestContext.NONE)).containsExactly("read");
    assertThat(((Verified) w.verifier.verify(t.value())).keyRestriction()).isEqualTo(Restriction.permissions("read"));
    assertThatThrownBy(() -> w.m.issueToken(w.system, NewToken.of(key, "t2", "T")
        .restrictedTo(Restriction.permissions("deploy"))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("its API key's restriction does not allow permission 'deploy'");
  }

  @Test
  void thePrincipalLosingAPermissionTakesItFromItsTokensAtOnce() {
    IssuedToken t = issue("t", Restriction.permissions("deploy", "read"));
    assertThat(((Verified) w.verifier.verify(t.value())).permissions()).containsExactlyInAnyOrder("deploy", "read");
    w.m.editPrincipal(w.system, w.ci.ref(), PrincipalEdit.none().permissions(Set.of("read")));
    assertThat(((Verified) w.verifier.verify(t.value())).permissions()).containsExactly("read");
    w.m.editPrincipal(w.system, w.ci.ref(), PrincipalEdit.none().permissions(Set.of("read", "deploy")));
    assertThat(((Verified) w.verifier.verify(t.value())).permissions()).as("given back: the restriction still allows it")
        .containsExactlyInAnyOrder("deploy", "read");
  }

  @Test
  void narrowingAnEditTakesEffectAtOnce() {
    IssuedToken t = issue("t", Restriction.NONE);
    assertThat(((Verified) w.verifier.verify(t.value())).permissions()).hasSize(2);
    w.m.editToken(w.system, t.ref(), TokenEdit.none().restriction(Restriction.permissions("read")));
    assertThat(((Verified) w.verifier.verify(t.value())).permissions()).containsExactly("read");
    assertThat(w.audit.get(w.audit.size() - 1).action()).isEqualTo(AuditAction.TOKEN_UPDATED);

    w.m.editApiKey(w.system, key, ApiKeyEdit.none().restriction(Restriction.permissions("deploy")));
    assertThat(((Verified) w.verifier.verify(t.value())).permissions()).as("read and deploy have nothing in common")
        .isEmpty();
    assertThat(w.audit.get(w.audit.size() - 1).action()).isEqualTo(AuditAction.API_KEY_UPDATED);
  }

  @Test
  void wideningIsAllowedOnlyWithinThePrincipalsRightsAndIsAudited() {
    IssuedToken t = issue("t", Restriction.permissions("read"));
    assertThatThrownBy(() -> w.m.editToken(w.system, t.ref(),
        TokenEdit.none().restriction(Restriction.permissions("read", "admin"))))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not hold permission 'admin'");
    assertThat(w.m.getToken(w.system, t.ref()).restriction()).isEqualTo(Restriction.permissions("read"));

    w.m.editToken(w.system, t.ref(), TokenEdit.none().restriction(Restriction.permissions("read", "deploy")));
    var event = w.audit.get(w.audit.size() - 1);
    assertThat(event.action()).isEqualTo(AuditAction.TOKEN_RESTRICTION_WIDENED);
    assertThat(event.details()).containsEntry("restrictionBefore", "permissions=[read] roles=* from=*")
        .containsEntry("restrictionAfter", "permissions=[deploy, read] roles=* from=*");
    assertThat(((Verified) w.verifier.verify(t.value())).permissions()).containsExactlyInAnyOrder("deploy", "read");

    w.m.editToken(w.system, t.ref(), TokenEdit.none().restriction(Restriction.NONE));
    assertThat(w.audit.get(w.audit.size() - 1).action()).as("lifting a restriction widens")
        .isEqualTo(AuditAction.TOKEN_RESTRICTION_WIDENED);

    w.m.editApiKey(w.system, key, ApiKeyEdit.none().restriction(Restriction.permissions("read")));
    assertThatThrownBy(() -> w.m.editApiKey(w.system, key,
        ApiKeyEdit.none().restriction(Restriction.permissions("admin"))))
        .isInstanceOf(InvalidArgumentException.class);
    w.m.editApiKey(w.system, key, ApiKeyEdit.none().restriction(Restriction.NONE));
    assertThat(w.audit.get(w.audit.size() - 1).action()).isEqualTo(AuditAction.API_KEY_RESTRICTION_WIDENED);
  }

  /**
   * Restricting an unrestricted key or token by an edit names permissions for the first time: they
   * must be the owner's (and, for a token, allowed by its key), as on issue and create. Found
   * through the web API, where such an edit was answered 200 and stored.
   */
  @Test
  void anEditThatFirstRestrictsMayNameOnlyWhatTheOwnerHolds() {
    IssuedToken t = issue("t", Restriction.NONE);
    assertThatThrownBy(() -> w.m.editToken(w.system, t.ref(), TokenEdit.none().restriction(Restriction.permissions("admin"))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("a token's restriction can only narrow: acme/sa/ci does not hold permission 'admin'");
    assertThatThrownBy(() -> w.m.editToken(w.system, t.ref(),
        TokenEdit.none().restriction(Restriction.NONE.withRoles(Set.of("boss")))))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not hold role 'boss'");
    assertThat(w.m.getToken(w.system, t.ref()).restriction()).as("nothing written").isEqualTo(Restriction.NONE);
    assertThatThrownBy(() -> w.m.editApiKey(w.system, key, ApiKeyEdit.none().restriction(Restriction.permissions("admin"))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("an API key's restriction can only narrow: acme/sa/ci does not hold permission 'admin'");
    assertThat(w.m.getApiKey(w.system, key).restriction()).as("nothing written").isEqualTo(Restriction.NONE);

    // the key allows only read: a token first restricted by an edit may not name deploy
    w.m.editApiKey(w.system, key, ApiKeyEdit.none().restriction(Restriction.permissions("read")));
    assertThatThrownBy(() -> w.m.editToken(w.system, t.ref(), TokenEdit.none().restriction(Restriction.permissions("deploy"))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("its API key's restriction does not allow permission 'deploy'");
    // naming what the owner holds and the key allows is fine
    w.m.editToken(w.system, t.ref(), TokenEdit.none().restriction(Restriction.permissions("read")));
    assertThat(w.m.getToken(w.system, t.ref()).restriction()).isEqualTo(Restriction.permissions("read"));
  }

  @Test
  void whoMayEditARestrictionIsWhoMayEditTheToken() {
    IssuedToken t = issue("t", Restriction.permissions("read"));
    // alice holds only "read": she may not act on ci, which holds more, even to narrow
    assertThatThrownBy(() -> w.m.editToken(World.as(w.alice), t.ref(),
        TokenEdit.none().restriction(Restriction.permissions("read"))))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void anAllowListNeedsAnAddressFromInsideIt() {
    IssuedToken t = issue("t", Restriction.from("10.0.0.0/8", "2001:db8::/32"));
    assertThat(verify(t, INSIDE)).isInstanceOf(Verified.class);
    assertThat(verify(t, RequestContext.fromAddress("2001:db8::7"))).isInstanceOf(Verified.class);
    assertThat(verify(t, RequestContext.fromAddress("::ffff:10.9.8.7"))).isInstanceOf(Verified.class);
    assertThat(verify(t, OUTSIDE)).isEqualTo(NOT_ALLOWED);
    assertThat(verify(t, RequestContext.NONE)).isEqualTo(NOT_ALLOWED);
    assertThat(w.verifier.verify(t.value())).as("plain verify: no address restriction can pass").isEqualTo(NOT_ALLOWED);
    assertThat(w.verifier.verifyCached(t.value().reveal(), INSIDE)).isInstanceOf(Verified.class);
    assertThat(w.verifier.verifyCached(t.value().reveal(), OUTSIDE)).isEqualTo(NOT_ALLOWED);
    assertThat(w.latchkey.stats().rejected(RejectReason.ADDRESS_NOT_ALLOWED)).isEqualTo(4);
    assertThat(w.verifier.verify(t.value().reveal() + "x", INSIDE)).as("a bad token stays malformed")
        .isEqualTo(Rejected.of(RejectReason.MALFORMED));
  }

  @Test
  void theSecretIsCheckedBeforeTheAddress() {
    IssuedToken t = issue("t", Restriction.from("10.0.0.0/8"));
    TokenText codec = new TokenText(TokenFormat.withPrefix("acme"));
    String wrong = codec.encode(PrincipalType.SERVICE_ACCOUNT, t.token().lookupId(), codec.newSecret(new SecureRandom()));
    VerificationResult r = w.verifier.verify(wrong, OUTSIDE);
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).reason()).isNotEqualTo(RejectReason.ADDRESS_NOT_ALLOWED);
  }

  @Test
  void keyAndTokenAllowListsMustBothAdmit() {
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K").restrictedTo(Restriction.from("10.0.0.0/8")));
    IssuedToken t = w.m.issueToken(w.system, NewToken.of(key, "t", "T").restrictedTo(Restriction.from("10.1.0.0/16",
        "192.0.2.0/24")));
    assertThat(verify(t, RequestContext.fromAddress("10.1.0.9"))).isInstanceOf(Verified.class);
    assertThat(verify(t, RequestContext.fromAddress("10.2.0.9"))).as("key yes, token no").isEqualTo(NOT_ALLOWED);
    assertThat(verify(t, RequestContext.fromAddress("192.0.2.9"))).as("token yes, key no").isEqualTo(NOT_ALLOWED);
  }

  @Test
  void addingAnAllowListActsLikeARevocationForOtherAddresses() {
    IssuedToken t = issue("t", Restriction.NONE);
    assertThat(verify(t, OUTSIDE)).isInstanceOf(Verified.class);
    w.m.editApiKey(w.system, key, ApiKeyEdit.none().restriction(Restriction.from("10.0.0.0/8")));
    assertThat(verify(t, OUTSIDE)).isEqualTo(NOT_ALLOWED);
    assertThat(verify(t, INSIDE)).isInstanceOf(Verified.class);
    assertThat(w.m.getApiKey(w.system, key).restriction().allowedAddresses()).hasSize(1);
  }

  @Test
  void theCachedHitStillReadsNothing() {
    IssuedToken t = issue("t", Restriction.permissions("read").withAllowedAddresses("10.0.0.0/8"));
    assertThat(verify(t, INSIDE)).isInstanceOf(Verified.class);
    long calls = w.store.calls.get();
    for (int i = 0; i < 100; i++) {
      assertThat(verify(t, INSIDE)).isInstanceOf(Verified.class);
      assertThat(verify(t, OUTSIDE)).isEqualTo(NOT_ALLOWED);
    }
    assertThat(w.store.calls.get()).isEqualTo(calls);
    assertThat(IpAddress.parse("10.1.2.3")).isEqualTo(INSIDE.clientAddress());
  }

  // ---- acting through a restricted token (Actor.of(verified))

  private Actor actorThroughTokenOfOps(Restriction r) {
    ApiKeyRef opsKey = w.ops.ref().apiKey("ops_key");
    if (w.memory.findApiKey(opsKey).isEmpty()) {
      w.m.createApiKey(w.system, NewApiKey.of(w.ops.ref(), "ops_key", "Ops"));
    }
    IssuedToken t = w.m.issueToken(w.system, NewToken.of(opsKey, "t" + n++, "T").restrictedTo(r));
    return Actor.of((Verified) w.verifier.verify(t.value()));
  }

  private int n;

  @Test
  void aRestrictedTokenActsWithTheRightsItCarriesOnly() {
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    Actor full = actorThroughTokenOfOps(Restriction.NONE);
    assertThat(full.restrictions()).isEmpty();
    w.m.issueToken(full, NewToken.of(key, "by_full", "T"));

    Actor readOnly = actorThroughTokenOfOps(Restriction.permissions("read"));
    assertThat(readOnly.restrictions()).containsExactly(Restriction.permissions("read"));
    assertThatThrownBy(() -> w.m.issueToken(readOnly, NewToken.of(key, "by_read", "T")))
        .as("the policy sees ops without its minting permission").isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void aRestrictedTokenCannotMintOrObtainAWiderCredential() {
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    Actor minter = actorThroughTokenOfOps(Restriction.permissions(
        dev.latchkey.AccessPolicy.MANAGE_SERVICE_ACCOUNTS, dev.latchkey.AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS,
        "deploy", "read"));
    assertThatThrownBy(() -> w.m.issueToken(minter, NewToken.of(key, "wide", "T")))
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("wider restriction");
    IssuedToken narrow = w.m.issueToken(minter, NewToken.of(key, "narrow", "T")
        .restrictedTo(Restriction.permissions("read")));
    assertThat(((Verified) w.verifier.verify(narrow.value())).permissions()).containsExactly("read");
    assertThatThrownBy(() -> w.m.editToken(minter, narrow.ref(), TokenEdit.none().restriction(Restriction.NONE)))
        .isInstanceOf(PermissionDeniedException.class);

    IssuedToken unrestricted = w.m.issueToken(w.system, NewToken.of(key, "plain", "T"));
    assertThatThrownBy(() -> w.m.rotateToken(minter, unrestricted.ref(), dev.latchkey.Rotation.immediate()))
        .as("rotating would hand over an unrestricted value").isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.createApiKey(minter, NewApiKey.of(w.ci.ref(), "k2", "K2")))
        .isInstanceOf(PermissionDeniedException.class);
    w.m.createApiKey(minter, NewApiKey.of(w.ci.ref(), "k3", "K3").restrictedTo(Restriction.permissions("deploy")));
  }
}
