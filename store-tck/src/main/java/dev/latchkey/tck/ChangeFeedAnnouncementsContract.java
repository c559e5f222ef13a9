package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.account;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.hash;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static dev.latchkey.tck.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.ChangeFeed}, skipped for stores without one: exactly what the
 * verifier needs announced.
 *
 * A verifier caches tokens and principals and drops them when the feed names them. Each change it
 * depends on must append exactly the rows below, or another node keeps accepting a revoked,
 * expired, rotated-out or deleted credential until its cache entry ages out. Edits it never reads
 * must append nothing, so that the feed (kept for a day) does not grow with renames.
 */
abstract class ChangeFeedAnnouncementsContract extends ContractGroup {
  ChangeFeedAnnouncementsContract(TokenStoreContract contract) {
    super(contract);
  }

  @BeforeEach
  void requireChangeFeed() {
    assumeTrue(store.changeFeed().isPresent(), "the store offers no change feed");
  }

  @Test
  void revokingATokenAppendsOneChangeForIt() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    store.insertToken(token(k, "t2"), 100, T0);
    long start = feedHead();
    updated(t, Fixtures.withStatus(t, TokenStatus.REVOKED));
    assertFeedAfter(start, tokenChange(t));
  }

  @Test
  void changingOnlyATokensExpiryAppendsOneChangeEachTime() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    TokenRecord later = updated(t, Fixtures.withExpiry(t, Optional.of(T0.plus(Duration.ofDays(20)))));
    TokenRecord nanoLater = updated(later, Fixtures.withExpiry(later, Optional.of(T0.plus(Duration.ofDays(20)).plusNanos(1))));
    TokenRecord never = updated(nanoLater, Fixtures.withExpiry(nanoLater, Optional.empty()));
    updated(never, Fixtures.withExpiry(never, Optional.of(T0.plusSeconds(1))));
    assertFeedAfter(start, tokenChange(t), tokenChange(t), tokenChange(t), tokenChange(t));
  }

  @Test
  void rotatingATokenAppendsOneChangeWithOrWithoutGrace() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    TokenRecord withGrace = updated(t, Fixtures.rotated(t, hash(1, "second"), T0.plusSeconds(300)));
    TokenRecord noGrace = new TokenRecord(Fixtures.withGraceEnded(withGrace).token(), hash(1, "third"), Optional.empty());
    updated(withGrace, noGrace);
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void shorteningOrEndingTheGracePeriodAppendsOneChangeEachTime() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    TokenRecord rotated = updated(t, Fixtures.rotated(t, hash(1, "second"), T0.plusSeconds(600)));
    long start = feedHead();
    TokenRecord shorter = updated(rotated, Fixtures.withGraceUntil(rotated, T0.plusSeconds(60)));
    updated(shorter, Fixtures.withGraceEnded(shorter));
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void reHashingATokenAppendsOneChangeEachTime() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    // a pepper upgrade: the same secret under another pepper version, nothing else changes
    TokenRecord upgraded = updated(t, Fixtures.rehashed(t, hash(2, "t1")));
    // another digest under the same scheme and version
    updated(upgraded, Fixtures.rehashed(upgraded, hash(2, "other")));
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void deletingATokenAppendsOneChangeForIt() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    store.insertToken(token(k, "t2"), 100, T0);
    long start = feedHead();
    assertThat(store.deleteToken(t.token().ref())).isPresent();
    assertFeedAfter(start, tokenChange(t));
  }

  @Test
  void deletingAKeyAppendsOneChangePerTokenOfThatKeyOnly() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    ApiKey empty = apiKey(sa.ref(), "k3");
    store.insertApiKey(k2, 100);
    store.insertApiKey(empty, 100);
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k, "t3");
    for (TokenRecord t : List.of(t1, t2, t3)) {
      store.insertToken(t, 100, T0);
    }
    updated(t3, Fixtures.withStatus(t3, TokenStatus.REVOKED)); // a revoked token's deletion is announced too
    store.insertToken(token(k2.ref(), "u1"), 100, T0);
    long start = feedHead();
    assertThat(store.deleteApiKey(k)).isPresent();
    assertFeedAfterInAnyOrder(start, tokenChange(t1), tokenChange(t2), tokenChange(t3));
    long afterFirst = feedHead();
    assertThat(store.deleteApiKey(empty.ref())).isPresent();
    assertFeedAfter(afterFirst);
  }

  @Test
  void deletingAPrincipalAppendsItsTokensAndItself() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    store.insertApiKey(k2, 100);
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k2.ref(), "t3");
    for (TokenRecord t : List.of(t1, t2, t3)) {
      store.insertToken(t, 100, T0);
    }
    Principal other = serviceAccount("acme", "bot2");
    store.insertPrincipal(other);
    ApiKey otherKey = apiKey(other.ref(), "k1");
    store.insertApiKey(otherKey, 100);
    store.insertToken(token(otherKey.ref(), "t1"), 100, T0);
    long start = feedHead();
    assertThat(deleteCurrent(sa.ref())).isPresent();
    assertFeedAfterInAnyOrder(start, tokenChange(t1), tokenChange(t2), tokenChange(t3), principalChange(sa.ref()));
  }

  @Test
  void deletingAnAccountAppendsEveryTokenAndPrincipalInIt() {
    ApiKeyRef k = seedKey();
    TokenRecord t1 = token(k, "t1");
    store.insertToken(t1, 100, T0);
    Principal alice = user("acme", "alice");
    store.insertPrincipal(alice);
    ApiKey aliceKey = apiKey(alice.ref(), "mine");
    store.insertApiKey(aliceKey, 100);
    TokenRecord t2 = token(aliceKey.ref(), "t1");
    store.insertToken(t2, 100, T0);
    Principal idle = serviceAccount("acme", "idle"); // no keys
    store.insertPrincipal(idle);
    store.insertAccount(account("acme2"));
    Principal elsewhere = serviceAccount("acme2", "bot");
    store.insertPrincipal(elsewhere);
    ApiKey elsewhereKey = apiKey(elsewhere.ref(), "k1");
    store.insertApiKey(elsewhereKey, 100);
    store.insertToken(token(elsewhereKey.ref(), "t1"), 100, T0);
    long start = feedHead();
    assertThat(store.deleteAccount("acme")).isPresent();
    assertFeedAfterInAnyOrder(start, tokenChange(t1), tokenChange(t2),
        principalChange(sa.ref()), principalChange(alice.ref()), principalChange(idle.ref()));
  }

  @Test
  void disablingAndEnablingAPrincipalEachAppendOneChange() {
    seedKey();
    long start = feedHead();
    Principal disabled = updated(sa, sa.withEnabled(false));
    updated(disabled, disabled.withEnabled(true));
    assertFeedAfter(start, principalChange(sa.ref()), principalChange(sa.ref()));
  }

  @Test
  void changingAPrincipalsPermissionsAppendsOneChangeEachTime() {
    seedKey();
    long start = feedHead();
    Principal fewer = updated(sa, Fixtures.withGrants(sa, sa.roles(), Set.of("read")));
    Principal other = updated(fewer, Fixtures.withGrants(fewer, fewer.roles(), Set.of("write")));
    updated(other, Fixtures.withGrants(other, other.roles(), Set.of()));
    assertFeedAfter(start, principalChange(sa.ref()), principalChange(sa.ref()), principalChange(sa.ref()));
  }

  @Test
  void changingAPrincipalsRolesAppendsOneChangeEachTime() {
    seedKey();
    long start = feedHead();
    Principal more = updated(sa, Fixtures.withGrants(sa, Set.of("deployer", "admin"), sa.permissions()));
    updated(more, Fixtures.withGrants(more, Set.of(), more.permissions()));
    assertFeedAfter(start, principalChange(sa.ref()), principalChange(sa.ref()));
  }

  @Test
  void changingAPrincipalsScopeAppendsOneChange() {
    seedKey();
    long start = feedHead();
    updated(sa, Fixtures.withScope(sa, dev.latchkey.Scope.org("acme", "org1")));
    assertFeedAfter(start, principalChange(sa.ref()));
  }

  @Test
  void editsTheVerifierDoesNotReadAppendNothing() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();

    TokenRecord renamed = updated(t, Fixtures.withText(t, "renamed", "", t.token().tags()));
    TokenRecord described = updated(renamed, Fixtures.withText(renamed, "renamed", "now described", renamed.token().tags()));
    TokenRecord retagged = updated(described, Fixtures.withText(described, "renamed", "now described",
        Map.of("env", "prod", "team", "b")));
    TokenRecord untagged = updated(retagged, Fixtures.withText(retagged, "renamed", "now described", Map.of()));
    TokenRecord unchanged = updated(untagged, Fixtures.withText(untagged, "renamed", "now described", Map.of()));
    ApiKey keyRenamed = Fixtures.edited(key, "Renamed key", "another description", Map.of("x", "y"),
        Optional.of(Duration.ofDays(7)));
    assertThat(store.updateApiKey(1, keyRenamed)).isTrue();
    assertThat(store.updateApiKey(2, Fixtures.edited(keyRenamed, "Key", "", Map.of(), Optional.empty()))).isTrue();
    Principal saRenamed = updated(sa, Fixtures.withText(sa, "Renamed bot", "a new description"));
    updated(saRenamed, Fixtures.withText(saRenamed, "Bot", ""));

    assertThat(changesAfter(start)).as("changes appended by edits the verifier does not read").isEmpty();
    assertThat(feedHead()).isEqualTo(start);
    // and they used up no sequence numbers: the next relevant change is start + 1
    updated(unchanged, Fixtures.withStatus(unchanged, TokenStatus.REVOKED));
    assertFeedAfter(start, tokenChange(t));
  }

  private static Tuple tokenChange(TokenRecord t) {
    return tuple(Change.Type.TOKEN, t.lookupId());
  }

  private static Tuple principalChange(PrincipalRef ref) {
    return tuple(Change.Type.PRINCIPAL, ref.toString());
  }

  /** The feed after {@code start} holds exactly these rows, in this order, numbered from start + 1. */
  private void assertFeedAfter(long start, Tuple... expected) {
    List<Change> changes = changesAfter(start);
    assertThat(changes).extracting(Change::type, Change::subject).containsExactly(expected);
    assertNumberedFrom(start, changes);
  }

  /** Like {@link #assertFeedAfter} for the rows of one cascading delete, whose order is the store's. */
  private void assertFeedAfterInAnyOrder(long start, Tuple... expected) {
    List<Change> changes = changesAfter(start);
    assertThat(changes).extracting(Change::type, Change::subject).containsExactlyInAnyOrder(expected);
    assertNumberedFrom(start, changes);
  }

  private void assertNumberedFrom(long start, List<Change> changes) {
    for (int i = 0; i < changes.size(); i++) {
      assertThat(changes.get(i).sequence()).as("sequence of change %d", i).isEqualTo(start + 1 + i);
    }
    assertThat(feedHead()).isEqualTo(start + changes.size());
  }
}
