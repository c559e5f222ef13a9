package dev.latchkey.behaviour;

import static dev.latchkey.testing.World.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AccessPolicy;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.AuditAction;
import dev.latchkey.ConflictException;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.LimitExceededException;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.NotFoundException;
import dev.latchkey.PageRequest;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenStatus;
import dev.latchkey.Verified;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One test per rule of the product documentation the library implements (seed document). */
class ManagementRulesTest {
  private final World w = new World();

  @AfterEach
  void close() {
    w.close();
  }

  private static Rejected rejected(RejectReason reason) {
    return Rejected.of(reason);
  }

  // ---- "Personal account API keys can be created only at the account scope"

  @Test
  void personalKeysLiveOnlyAtAccountScope() {
    ApiKey key = w.m.createApiKey(as(w.alice), NewApiKey.of(w.alice.ref(), "mine", "My key"));
    assertThat(key.scope()).isEqualTo(Scope.account("acme"));
    assertThatThrownBy(() -> w.m.createApiKey(as(w.alice),
            NewApiKey.of(w.alice.ref(), "org_key", "Org key").atScope(Scope.org("acme", "eng"))))
        .isInstanceOf(dev.latchkey.InvalidArgumentException.class)
        .hasMessageContaining("personal API keys can only be created at account scope");
    assertThat(w.memory.findApiKey(w.alice.ref().apiKey("org_key"))).isEmpty();
  }

  // ---- "service account API keys can be created at any scope" (the service account's)

  @Test
  void serviceAccountKeysLiveAtTheServiceAccountsScope() {
    ApiKey key = w.m.createApiKey(as(w.admin), NewApiKey.of(w.ci.ref(), "deploy", "Deploy"));
    assertThat(key.scope()).isEqualTo(Scope.project("acme", "eng", "api"));
    var org = w.m.createServiceAccount(as(w.admin), NewServiceAccount.of(Scope.org("acme", "eng"), "orgbot", "Org bot"));
    assertThat(w.m.createApiKey(as(w.admin), NewApiKey.of(org.ref(), "k", "K")).scope()).isEqualTo(Scope.org("acme", "eng"));
    assertThatThrownBy(() -> w.m.createApiKey(as(w.admin),
            NewApiKey.of(w.ci.ref(), "wrong", "Wrong").atScope(Scope.account("acme"))))
        .isInstanceOf(dev.latchkey.InvalidArgumentException.class)
        .hasMessageContaining("service account's scope");
  }

  // ---- "You must be an Account Admin (or equivalent) to create service accounts and API keys for service accounts"

  @Test
  void onlyAccountAdminsOrServiceAccountManagersCreateServiceAccounts() {
    NewServiceAccount sa = NewServiceAccount.of(Scope.account("acme"), "bot2", "Bot 2");
    assertThatThrownBy(() -> w.m.createServiceAccount(as(w.alice), sa)).isInstanceOf(PermissionDeniedException.class);
    assertThat(w.memory.findPrincipal(sa.ref())).isEmpty();
    assertThat(w.m.createServiceAccount(as(w.admin), sa).ref()).isEqualTo(sa.ref());
    assertThat(w.m.createServiceAccount(as(w.ops), NewServiceAccount.of(Scope.account("acme"), "bot3", "Bot 3")))
        .isNotNull();
  }

  @Test
  void onlyAdminsOrManagersManageServiceAccountKeysAndTokens() {
    assertThatThrownBy(() -> w.m.createApiKey(as(w.alice), NewApiKey.of(w.ci.ref(), "k", "K")))
        .isInstanceOf(PermissionDeniedException.class);
    ApiKey key = w.m.createApiKey(as(w.ops), NewApiKey.of(w.ci.ref(), "k", "K"));
    IssuedToken t = w.m.issueToken(as(w.ops), NewToken.of(key.ref(), "t", "T"));
    assertThatThrownBy(() -> w.m.issueToken(as(w.alice), NewToken.of(key.ref(), "t2", "T2")))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.listTokens(as(w.alice), key.ref(), PageRequest.first()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.rotateToken(as(w.bob), t.ref(), Rotation.immediate()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.deleteToken(as(w.ci), t.ref())).as("a service account does not manage itself")
        .isInstanceOf(PermissionDeniedException.class);
    w.m.rotateToken(as(w.admin), t.ref(), Rotation.immediate());
    w.m.deleteApiKey(as(w.admin), key.ref());
  }

  @Test
  void usersManageOnlyTheirOwnPersonalKeys() {
    IssuedToken aliceToken = w.m.issueToken(as(w.alice),
        NewToken.of(w.m.createApiKey(as(w.alice), NewApiKey.of(w.alice.ref(), "k", "K")).ref(), "t", "T"));
    assertThatThrownBy(() -> w.m.createApiKey(as(w.bob), NewApiKey.of(w.alice.ref(), "evil", "Evil")))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.listApiKeys(as(w.bob), w.alice.ref(), PageRequest.first()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.getToken(as(w.bob), aliceToken.ref())).isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.deleteToken(as(w.bob), aliceToken.ref())).isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.createServiceAccount(as(w.bob), NewServiceAccount.of(Scope.account("acme"), "x", "X")))
        .isInstanceOf(PermissionDeniedException.class);
    // a user cannot see whether another user's key exists: denied before the lookup
    assertThatThrownBy(() -> w.m.getApiKey(as(w.bob), w.alice.ref().apiKey("does_not_exist")))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(w.m.listApiKeys(as(w.alice), w.alice.ref(), PageRequest.first()).items()).hasSize(1);
    assertThat(w.verifier.verify(aliceToken.value())).isInstanceOf(Verified.class);
  }

  @Test
  void disabledOrUnknownActorsAreRefusedAndCrossAccountActsAreDenied() {
    w.m.setEnabled(as(w.admin), w.alice.ref(), false);
    assertThatThrownBy(() -> w.m.createApiKey(as(w.alice), NewApiKey.of(w.alice.ref(), "k", "K")))
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("does not exist or is disabled");
    assertThatThrownBy(() -> w.m.listApiKeys(dev.latchkey.Actor.principal(PrincipalRef.user("acme", "ghost")),
        w.bob.ref(), PageRequest.first())).isInstanceOf(PermissionDeniedException.class);
    w.m.createAccount(w.system, "other", "Other");
    assertThatThrownBy(() -> w.m.createUser(as(w.admin), NewUser.of("other", "x", "X")))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> w.m.createAccount(as(w.admin), "third", "Third")).isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void managersCannotGrantWhatTheyDoNotHold() {
    assertThatThrownBy(() -> w.m.createServiceAccount(as(w.ops), NewServiceAccount.of(Scope.account("acme"), "esc", "Esc")
            .withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE))))
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("with these roles, permissions and scope");
    assertThatThrownBy(() -> w.m.editPrincipal(as(w.ops), w.ci.ref(), PrincipalEdit.none().permissions(Set.of("admin"))))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(w.m.editPrincipal(as(w.ops), w.ci.ref(), PrincipalEdit.none().permissions(Set.of("deploy"))).permissions())
        .containsExactly("deploy");
    assertThat(w.m.editPrincipal(as(w.admin), w.ci.ref(), PrincipalEdit.none().roles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE)))
        .roles()).containsExactly(AccessPolicy.ACCOUNT_ADMIN_ROLE);
  }

  // ---- "Keys and tokens inherit the permissions of the account they are created under"

  @Test
  void tokensCarryThePrincipalsPermissionsAtVerificationTime() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    Verified before = (Verified) w.verifier.verify(t.value());
    assertThat(before.permissions()).containsExactlyInAnyOrder("deploy", "read");
    assertThat(before.scope()).isEqualTo(Scope.project("acme", "eng", "api"));
    assertThat(before.principal()).isEqualTo(w.ci.ref());
    assertThat(before.token()).isEqualTo(t.ref());

    w.m.editPrincipal(as(w.admin), w.ci.ref(), PrincipalEdit.none().permissions(Set.of("read")));
    Verified after = (Verified) w.verifier.verify(t.value());
    assertThat(after.permissions()).containsExactly("read");
    assertThat(after.hasPermission("deploy")).isFalse();
  }

  // ---- "The token is only displayed once"

  @Test
  void tokenValuesAreShownOnceAndNeverListed() {
    IssuedToken t = w.token(w.alice.ref(), "k", "t");
    String value = t.value().reveal();
    String secret = value.substring(value.length() - 49);
    Token listed = w.m.listTokens(as(w.alice), t.ref().apiKey(), PageRequest.first()).items().get(0);
    Token got = w.m.getToken(as(w.alice), t.ref());
    for (Object o : List.of(listed, got, t, t.token(), w.m.getApiKey(as(w.alice), t.ref().apiKey()))) {
      assertThat(o.toString()).doesNotContain(value).doesNotContain(secret);
    }
    assertThat(got).isEqualTo(t.token());
    assertThat(Token.class.getRecordComponents()).extracting(c -> c.getName()).doesNotContain("value", "secret");
  }

  // ---- Edit API keys: name, description, tags; never the Id

  @Test
  void editingAKeyChangesNameDescriptionAndTagsOnly() {
    ApiKey key = w.m.createApiKey(as(w.alice), NewApiKey.of(w.alice.ref(), "k", "K").withTags(Map.of("a", "1")));
    IssuedToken t = w.m.issueToken(as(w.alice), NewToken.of(key.ref(), "t", "T"));
    ApiKey edited = w.m.editApiKey(as(w.alice), key.ref(),
        ApiKeyEdit.none().name("Renamed").description("Now described").tags(Map.of("b", "2")));
    assertThat(edited.ref()).isEqualTo(key.ref());
    assertThat(edited.createdAt()).isEqualTo(key.createdAt());
    assertThat(edited.scope()).isEqualTo(key.scope());
    assertThat(edited).extracting(ApiKey::name, ApiKey::description, ApiKey::tags)
        .containsExactly("Renamed", "Now described", Map.of("b", "2"));
    assertThat(w.m.getApiKey(as(w.alice), key.ref())).isEqualTo(edited);
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
  }

  // ---- Edit tokens: name, description, tags, expiration; never the Id or the value

  @Test
  void editingATokenChangesMetadataAndExpiryButNotItsValue() {
    IssuedToken t = w.token(w.alice.ref(), "k", "t");
    Instant newExpiry = World.START.plus(Duration.ofDays(3));
    Token edited = w.m.editToken(as(w.alice), t.ref(), TokenEdit.none().name("Renamed").description("d")
        .tags(Map.of("x", "y")).expiration(Expiration.at(newExpiry)));
    assertThat(edited.ref()).isEqualTo(t.ref());
    assertThat(edited.lookupId()).isEqualTo(t.token().lookupId());
    assertThat(edited.expiresAt()).isEqualTo(newExpiry);
    assertThat(w.verifier.verify(t.value())).as("same value still works").isInstanceOf(Verified.class);
    w.clock.set(newExpiry);
    assertThat(w.verifier.verify(t.value())).as("the edited expiry applies at once").isEqualTo(rejected(RejectReason.EXPIRED));
  }

  @Test
  void expiryDefaultsToTheKeysDefaultLifetimeThenTheConfiguredOne() {
    ApiKey shortKey = w.m.createApiKey(as(w.alice), NewApiKey.of(w.alice.ref(), "short", "Short")
        .withDefaultTokenLifetime(Duration.ofDays(7)));
    assertThat(w.m.issueToken(as(w.alice), NewToken.of(shortKey.ref(), "t", "T")).token().expiresAt())
        .isEqualTo(World.START.plus(Duration.ofDays(7)));
    IssuedToken plain = w.token(w.alice.ref(), "plain", "t");
    assertThat(plain.token().expiresAt()).isEqualTo(World.START.plus(Limits.defaults().defaultTokenLifetime()));
  }

  // ---- Rotate tokens

  @Test
  void rotationGivesANewValueUnderTheSameIdentifierAndHonoursTheGracePeriod() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    IssuedToken r = w.m.rotateToken(as(w.admin), t.ref(), Rotation.withGrace(Duration.ofMinutes(10)));
    assertThat(r.ref()).isEqualTo(t.ref());
    assertThat(r.token().lookupId()).isEqualTo(t.token().lookupId());
    assertThat(r.value().reveal()).isNotEqualTo(t.value().reveal());
    assertThat(r.token().previousValidUntil()).isEqualTo(World.START.plus(Duration.ofMinutes(10)));
    assertThat(w.verifier.verify(r.value())).isInstanceOf(Verified.class);
    assertThat(w.verifier.verify(t.value())).as("old secret within grace").isInstanceOf(Verified.class);
    w.clock.advance(Duration.ofMinutes(10));
    assertThat(w.verifier.verify(t.value())).as("old secret at the end of grace")
        .isEqualTo(rejected(RejectReason.BAD_SECRET));
    assertThat(w.verifier.verify(r.value())).isInstanceOf(Verified.class);
  }

  @Test
  void zeroGraceEndsTheOldSecretAtOnceAndGraceNeverOutlivesTheToken() {
    IssuedToken t = w.m.issueToken(w.system, NewToken.of(key(w.ci.ref()), "t", "T")
        .expiring(Expiration.after(Duration.ofMinutes(5))));
    IssuedToken r = w.m.rotateToken(w.system, t.ref(), Rotation.immediate());
    assertThat(w.verifier.verify(t.value())).isEqualTo(rejected(RejectReason.BAD_SECRET));
    assertThat(r.token().previousValidUntil()).isNull();

    IssuedToken r2 = w.m.rotateToken(w.system, t.ref(), Rotation.withGrace(Duration.ofDays(1)));
    assertThat(r2.token().previousValidUntil()).as("capped at the token's expiry")
        .isEqualTo(t.token().expiresAt());
    IssuedToken r3 = w.m.rotateToken(w.system, t.ref(), Rotation.withGrace(Duration.ofHours(1))
        .expiring(Expiration.after(Duration.ofMinutes(2))));
    assertThat(r3.token().expiresAt()).isEqualTo(World.START.plus(Duration.ofMinutes(2)));
    assertThat(r3.token().previousValidUntil()).as("capped at the new expiry")
        .isEqualTo(World.START.plus(Duration.ofMinutes(2)));
    assertThat(w.verifier.verify(r.value())).as("only the immediately previous secret survives a rotation")
        .isEqualTo(rejected(RejectReason.BAD_SECRET));
    assertThat(w.verifier.verify(r2.value())).isInstanceOf(Verified.class);
    assertThatThrownBy(() -> w.m.rotateToken(w.system, t.ref(), Rotation.withGrace(Duration.ofDays(8))))
        .isInstanceOf(dev.latchkey.InvalidArgumentException.class).hasMessageContaining("maximum");
  }

  @Test
  void revokedAndExpiredTokensCannotBeRotated() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    w.m.revokeToken(w.system, t.ref());
    assertThatThrownBy(() -> w.m.rotateToken(w.system, t.ref(), Rotation.immediate())).isInstanceOf(ConflictException.class);
    IssuedToken e = w.token(w.ci.ref(), "k", "e");
    w.clock.advance(Duration.ofDays(91));
    assertThatThrownBy(() -> w.m.rotateToken(w.system, e.ref(), Rotation.immediate())).isInstanceOf(ConflictException.class);
  }

  @Test
  void ofConcurrentRotationsExactlyOneSucceeds() throws Exception {
    for (int round = 0; round < 5; round++) {
      IssuedToken t = w.token(w.ci.ref(), "k", "race" + round);
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<IssuedToken>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(pool.submit(() -> {
            go.await();
            try {
              return w.m.rotateToken(w.system, t.ref(), Rotation.immediate().ifVersion(t.token().version()));
            } catch (ConflictException e) {
              return null;
            }
          }));
        }
        go.countDown();
        List<IssuedToken> winners = new ArrayList<>();
        for (Future<IssuedToken> f : results) {
          IssuedToken r = f.get(30, TimeUnit.SECONDS);
          if (r != null) {
            winners.add(r);
          }
        }
        assertThat(winners).hasSize(1);
        assertThat(w.verifier.verify(winners.get(0).value())).isInstanceOf(Verified.class);
        assertThat(w.verifier.verify(t.value())).isEqualTo(rejected(RejectReason.BAD_SECRET));
        assertThat(w.memory.findToken(t.ref()).orElseThrow().version()).isEqualTo(2);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  // ---- Delete API keys (with all tokens), delete tokens, revoke, disable principals

  @Test
  void deletingAKeyDeletesAllItsTokens() {
    IssuedToken t1 = w.token(w.alice.ref(), "k", "t1");
    IssuedToken t2 = w.token(w.alice.ref(), "k", "t2");
    IssuedToken other = w.token(w.alice.ref(), "k2", "t1");
    w.verifier.verify(t1.value());
    w.m.deleteApiKey(as(w.alice), t1.ref().apiKey());
    assertThat(w.verifier.verify(t1.value())).isEqualTo(rejected(RejectReason.UNKNOWN));
    assertThat(w.verifier.verify(t2.value())).isEqualTo(rejected(RejectReason.UNKNOWN));
    assertThat(w.verifier.verify(other.value())).isInstanceOf(Verified.class);
    assertThatThrownBy(() -> w.m.getToken(as(w.alice), t1.ref())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> w.m.listTokens(as(w.alice), t1.ref().apiKey(), PageRequest.first()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void deletingOrRevokingATokenStopsItAtOnce() {
    IssuedToken a = w.token(w.alice.ref(), "k", "a");
    IssuedToken b = w.token(w.alice.ref(), "k", "b");
    assertThat(w.verifier.verify(a.value())).isInstanceOf(Verified.class); // now cached
    assertThat(w.verifier.verify(b.value())).isInstanceOf(Verified.class);
    w.m.deleteToken(as(w.alice), a.ref());
    Token revoked = w.m.revokeToken(as(w.alice), b.ref());
    assertThat(revoked.status()).isEqualTo(TokenStatus.REVOKED);
    assertThat(w.verifier.verify(a.value())).isEqualTo(rejected(RejectReason.UNKNOWN));
    assertThat(w.verifier.verify(b.value())).isEqualTo(rejected(RejectReason.REVOKED));
    assertThat(w.m.listTokens(as(w.alice), b.ref().apiKey(), PageRequest.first()).items())
        .extracting(Token::status).containsExactly(TokenStatus.REVOKED);
  }

  @Test
  void disablingOrDeletingAPrincipalStopsAllItsTokens() {
    IssuedToken t1 = w.token(w.ci.ref(), "k1", "t");
    IssuedToken t2 = w.token(w.ci.ref(), "k2", "t");
    assertThat(w.verifier.verify(t1.value())).isInstanceOf(Verified.class);
    w.m.setEnabled(as(w.admin), w.ci.ref(), false);
    assertThat(w.verifier.verify(t1.value())).isEqualTo(rejected(RejectReason.DISABLED));
    assertThat(w.verifier.verify(t2.value())).isEqualTo(rejected(RejectReason.DISABLED));
    assertThatThrownBy(() -> w.m.issueToken(w.system, NewToken.of(t1.ref().apiKey(), "t3", "T3")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("disabled");
    w.m.setEnabled(as(w.admin), w.ci.ref(), true);
    assertThat(w.verifier.verify(t1.value())).isInstanceOf(Verified.class);
    w.m.deletePrincipal(as(w.admin), w.ci.ref());
    assertThat(w.verifier.verify(t1.value())).isIn(rejected(RejectReason.UNKNOWN), rejected(RejectReason.DISABLED));
    assertThat(w.verifier.verify(t2.value())).isIn(rejected(RejectReason.UNKNOWN), rejected(RejectReason.DISABLED));
    // re-creating a principal with the same id does not revive old tokens
    w.m.createServiceAccount(as(w.admin), NewServiceAccount.of(Scope.project("acme", "eng", "api"), "ci", "CI again"));
    assertThat(w.verifier.verify(t1.value())).isEqualTo(rejected(RejectReason.UNKNOWN));
  }

  @Test
  void deletingAnAccountStopsEverythingInIt() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    IssuedToken u = w.token(w.alice.ref(), "k", "t");
    w.m.deleteAccount(w.system, "acme");
    assertThat(w.verifier.verify(t.value())).isEqualTo(rejected(RejectReason.UNKNOWN));
    assertThat(w.verifier.verify(u.value())).isEqualTo(rejected(RejectReason.UNKNOWN));
    assertThat(w.memory.findAccount("acme")).isEmpty();
  }

  // ---- Limits

  @Test
  void limitsCountOnlyUsableTokensAndKeys() {
    try (World small = new World(b -> b.limits(Limits.defaults().withMaxApiKeysPerPrincipal(2).withMaxTokensPerApiKey(2)))) {
      small.token(small.alice.ref(), "k1", "a");
      IssuedToken b = small.token(small.alice.ref(), "k1", "b");
      assertThatThrownBy(() -> small.token(small.alice.ref(), "k1", "c")).isInstanceOf(LimitExceededException.class);
      small.m.revokeToken(small.system, b.ref());
      small.token(small.alice.ref(), "k1", "c"); // revoked tokens do not count
      assertThatThrownBy(() -> small.token(small.alice.ref(), "k1", "d"))
          .isInstanceOf(LimitExceededException.class).hasMessageContaining("maximum of 2");
      assertThat(small.memory.findToken(small.alice.ref().apiKey("k1").token("d"))).isEmpty();
    }
    try (World small = new World(b -> b.limits(Limits.defaults().withMaxApiKeysPerPrincipal(2).withMaxTokensPerApiKey(2)))) {
      small.m.issueToken(small.system, NewToken.of(key(small, small.alice.ref()), "short", "Short")
          .expiring(Expiration.after(Duration.ofMinutes(1))));
      small.token(small.alice.ref(), "k", "long");
      small.clock.advance(Duration.ofMinutes(2));
      small.token(small.alice.ref(), "k", "after"); // the expired one no longer counts
      small.m.createApiKey(small.system, NewApiKey.of(small.alice.ref(), "k2", "K2"));
      assertThatThrownBy(() -> small.m.createApiKey(small.system, NewApiKey.of(small.alice.ref(), "k3", "K3")))
          .isInstanceOf(LimitExceededException.class);
    }
  }

  // ---- Listings

  @Test
  void listingsArePaginatedMetadata() {
    for (int i = 0; i < 7; i++) {
      w.token(w.ci.ref(), "k", "t" + i);
    }
    var page1 = w.m.listTokens(w.system, w.ci.ref().apiKey("k"), PageRequest.first(3));
    var page2 = w.m.listTokens(w.system, w.ci.ref().apiKey("k"), page1.next(3).orElseThrow());
    var page3 = w.m.listTokens(w.system, w.ci.ref().apiKey("k"), page2.next(3).orElseThrow());
    assertThat(page1.items()).extracting(t -> t.ref().id()).containsExactly("t0", "t1", "t2");
    assertThat(page2.items()).extracting(t -> t.ref().id()).containsExactly("t3", "t4", "t5");
    assertThat(page3.items()).extracting(t -> t.ref().id()).containsExactly("t6");
    assertThat(page3.nextCursor()).isNull();
    assertThat(w.m.listPrincipals(as(w.admin), "acme", PrincipalType.USER, PageRequest.first()).items())
        .extracting(p -> p.ref().id()).containsExactly("admin", "alice", "bob", "ops");
    assertThat(w.m.listTokensExpiringBetween(w.system, World.START, World.START.plus(Duration.ofDays(91)),
        PageRequest.first()).items()).hasSize(7);
  }

  // ---- Audit

  @Test
  void everyMutationIsAuditedWithIdsAndNoSecrets() {
    int before = w.audit.size();
    IssuedToken t = w.token(w.alice.ref(), "k", "t");
    IssuedToken r = w.m.rotateToken(as(w.alice), t.ref(), Rotation.withGrace(Duration.ofMinutes(1)));
    w.m.editToken(as(w.alice), t.ref(), TokenEdit.none().name("x"));
    w.m.revokeToken(as(w.alice), t.ref());
    w.m.deleteToken(as(w.alice), t.ref());
    w.m.editApiKey(as(w.alice), t.ref().apiKey(), ApiKeyEdit.none().name("y"));
    w.m.deleteApiKey(as(w.alice), t.ref().apiKey());
    w.m.setEnabled(as(w.admin), w.bob.ref(), false);
    var events = w.audit.subList(before, w.audit.size());
    assertThat(events).extracting(e -> e.action()).containsExactly(
        AuditAction.API_KEY_CREATED, AuditAction.TOKEN_ISSUED, AuditAction.TOKEN_ROTATED, AuditAction.TOKEN_UPDATED,
        AuditAction.TOKEN_REVOKED, AuditAction.TOKEN_DELETED, AuditAction.API_KEY_UPDATED, AuditAction.API_KEY_DELETED,
        AuditAction.PRINCIPAL_DISABLED);
    assertThat(events.get(2).actor()).isEqualTo("acme/user/alice");
    assertThat(events.get(2).target()).isEqualTo("acme/user/alice/k/t");
    assertThat(events.get(2).details()).containsEntry("grace", "PT1M");
    for (var e : events) {
      assertThat(e.toString()).doesNotContain(t.value().reveal().substring(26)).doesNotContain(r.value().reveal().substring(26));
    }
  }

  private dev.latchkey.ApiKeyRef key(PrincipalRef owner) {
    return key(w, owner);
  }

  private static dev.latchkey.ApiKeyRef key(World world, PrincipalRef owner) {
    var ref = owner.apiKey("k");
    if (world.memory.findApiKey(ref).isEmpty()) {
      world.m.createApiKey(world.system, NewApiKey.of(owner, "k", "K"));
    }
    return ref;
  }
}
