package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.account;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.hash;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static dev.latchkey.tck.Fixtures.user;
import static dev.latchkey.tck.Race.TIMEOUT;
import static dev.latchkey.tck.Race.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.ChangeFeed}, skipped for stores without one. First the feed
 * itself: numbering without gaps in commit order, nothing appended by failed or no-op calls, a
 * reader resuming from a cursor while writers run, pruning. Then exactly what the verifier needs
 * announced: a verifier caches tokens and principals and drops them when the feed names them. Each
 * change it depends on must append exactly the rows below, or another node keeps accepting a
 * revoked, expired, rotated-out or deleted credential until its cache entry ages out. Edits it
 * never reads must append nothing, so that the feed (kept for a day) does not grow with renames.
 */
@ContractGroup.Requires(ContractGroup.Capability.CHANGE_FEED)
abstract class ChangeFeedContract extends ContractGroup {
  @Test
  void changeFeedRecordsEveryVerificationRelevantMutationOnceInOrder() {
    ApiKeyRef k = seedKey();
    TokenRecord t1 = insert(token(k, "t1"));
    TokenRecord t2 = insert(token(k, "t2"));
    TokenRecord t3 = insert(token(k, "t3"));
    long start = feedHead();

    store.updateToken(1, Fixtures.rotated(t1, hash(1, "n"), T0.plusSeconds(5)));      // TOKEN t1
    store.updatePrincipal(1, sa.withEnabled(false));                                   // PRINCIPAL
    store.deleteToken(t2.token().ref());                                               // TOKEN t2
    store.updateApiKey(1, new ApiKey(k, "renamed", "", Map.of(), key.scope(), null, T0, 2)); // nothing
    store.lastUsedSink().ifPresent(s -> s.recordLastUsed(Map.of(t3.lookupId(), T0.plusSeconds(9)))); // nothing
    store.deleteApiKey(k);                                                              // TOKEN t1, TOKEN t3
    deleteCurrent(sa.ref());                                                    // PRINCIPAL

    List<Change> changes = changesAfter(start);
    assertThat(changes).extracting(Change::sequence)
        .containsExactly(start + 1, start + 2, start + 3, start + 4, start + 5, start + 6);
    assertThat(changes.subList(0, 3)).extracting(Change::type, Change::subject).containsExactly(
        tuple(Change.Type.TOKEN, t1.lookupId()),
        tuple(Change.Type.PRINCIPAL, sa.ref().toString()),
        tuple(Change.Type.TOKEN, t2.lookupId()));
    assertThat(changes.subList(3, 5)).extracting(Change::type, Change::subject).containsExactlyInAnyOrder(
        tuple(Change.Type.TOKEN, t1.lookupId()),
        tuple(Change.Type.TOKEN, t3.lookupId()));
    assertThat(changes.get(5)).extracting(Change::type, Change::subject)
        .containsExactly(Change.Type.PRINCIPAL, sa.ref().toString());
    assertThat(feedHead()).isEqualTo(start + 6);
  }

  @Test
  void failedOrNoOpMutationsAppendNothing() {
    ApiKeyRef k = seedKey();
    TokenRecord t = insert(token(k, "t1"));
    TokenRecord revoked = Fixtures.withStatus(t, TokenStatus.REVOKED);
    assertThat(store.updateToken(1, revoked)).isTrue();
    Principal disabled = sa.withEnabled(false);
    assertThat(store.updatePrincipal(1, disabled)).isTrue();
    long start = feedHead();
    // stale: each would append if it were applied
    assertThat(store.updateToken(1, Fixtures.withExpiry(t, null))).isFalse();
    assertThat(store.updatePrincipal(1, Fixtures.withGrants(sa, Set.of(), Set.of()))).isFalse();
    assertThat(store.updatePrincipal(0, sa)).isFalse();
    assertThat(store.deleteToken(new TokenRef(k, "ghost"))).isEmpty();
    assertThat(store.deletePrincipal(sa.ref(), 1)).as("a delete at a stale version").isEmpty();
    assertThatThrownBy(() -> store.insertToken(token(k, "t1"), 100, T0)).isInstanceOf(ConflictException.class);
    assertThat(feedHead()).isEqualTo(start);
    assertThat(changesAfter(start)).isEmpty();
  }

  @Test
  void changeFeedReaderResumingFromACursorSeesEverySequenceOnceWhileWritersRun() throws Exception {
    ApiKeyRef k = seedKey();
    int writers = 4;
    int perWriter = 25;
    List<TokenRecord> records = new ArrayList<>();
    for (int i = 0; i < writers * perWriter; i++) {
      TokenRecord t = token(k, "f" + i);
      store.insertToken(t, 10_000, T0);
      records.add(t);
    }
    long start = feedHead();
    ChangeFeed f = store.changeFeed().orElseThrow();
    // racers 0 to 3 revoke their share of the tokens; racer 4 reads the feed from a cursor meanwhile
    List<List<Long>> results = race(writers + 1, w -> {
      List<Long> seen = new ArrayList<>();
      if (w < writers) {
        for (TokenRecord t : records.subList(w * perWriter, (w + 1) * perWriter)) {
          assertThat(store.updateToken(1, Fixtures.withStatus(t, TokenStatus.REVOKED))).isTrue();
        }
        return seen;
      }
      long cursor = start;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (seen.size() < writers * perWriter) {
        assertThat(System.nanoTime()).as("reader timed out").isLessThan(deadline);
        for (Change c : f.changesSince(cursor, 5)) {
          seen.add(c.sequence());
          cursor = c.sequence();
        }
      }
      assertThat(f.changesSince(cursor, 100)).isEmpty();
      return seen;
    });
    List<Long> expected = new ArrayList<>();
    for (long s = start + 1; s <= start + writers * perWriter; s++) {
      expected.add(s);
    }
    assertThat(results.get(writers)).containsExactlyElementsOf(expected);
  }

  @Test
  void aReadReturnsAtMostItsLimitInOrderEvenALimitOfOne() {
    TokenRecord current = seedToken();
    long start = feedHead();
    for (int i = 0; i < 3; i++) {
      TokenRecord next = Fixtures.withExpiry(current, T0.plus(Duration.ofDays(30 + i)));
      assertThat(store.updateToken(current.version(), next)).isTrue();
      current = next;
    }
    ChangeFeed f = store.changeFeed().orElseThrow();
    assertThat(f.changesSince(start, 1)).extracting(Change::sequence).containsExactly(start + 1);
    assertThat(f.changesSince(start + 1, 2)).extracting(Change::sequence).containsExactly(start + 2, start + 3);
    assertThat(f.changesSince(start + 3, 1)).isEmpty();
  }

  @Test
  void pruningRemovesOldChangesButKeepsTheNewest() {
    TokenRecord t = seedToken();
    long start = feedHead();
    TokenRecord current = t;
    for (int i = 0; i < 5; i++) {
      TokenRecord next = Fixtures.withExpiry(current, T0.plus(Duration.ofDays(20 + i)));
      assertThat(store.updateToken(current.version(), next)).isTrue();
      current = next;
    }
    ChangeFeed f = store.changeFeed().orElseThrow();
    long head = f.latestSequence();
    assertThat(head).isEqualTo(start + 5);
    int pruned = f.pruneBefore(Instant.now().plus(Duration.ofDays(3650)));
    assertThat(pruned).isGreaterThanOrEqualTo(4);
    assertThat(f.latestSequence()).isEqualTo(head);
    List<Change> left = f.changesSince(0, 100);
    assertThat(left).extracting(Change::sequence).containsExactly(head);
    // a reader behind the pruned range sees the gap
    assertThat(f.changesSince(start, 100).get(0).sequence()).isGreaterThan(start + 1);
    // nothing older than a cutoff in the distant past is pruned
    assertThat(f.pruneBefore(Instant.EPOCH)).isZero();
    // numbering continues after pruning
    TokenRecord next = Fixtures.withStatus(current, TokenStatus.REVOKED);
    assertThat(store.updateToken(current.version(), next)).isTrue();
    assertThat(f.latestSequence()).isEqualTo(head + 1);
  }

  // ---- exactly what the verifier needs announced

  @Test
  void revokingATokenAppendsOneChangeForIt() {
    ApiKeyRef k = seedKey();
    TokenRecord t = insert(token(k, "t1"));
    insert(token(k, "t2"));
    long start = feedHead();
    updated(t, Fixtures.withStatus(t, TokenStatus.REVOKED));
    assertFeedAfter(start, tokenChange(t));
  }

  @Test
  void changingOnlyATokensExpiryAppendsOneChangeEachTime() {
    TokenRecord t = seedToken();
    long start = feedHead();
    TokenRecord later = updated(t, Fixtures.withExpiry(t, T0.plus(Duration.ofDays(20))));
    TokenRecord nanoLater = updated(later, Fixtures.withExpiry(later, T0.plus(Duration.ofDays(20)).plusNanos(1)));
    TokenRecord never = updated(nanoLater, Fixtures.withExpiry(nanoLater, null));
    updated(never, Fixtures.withExpiry(never, T0.plusSeconds(1)));
    assertFeedAfter(start, tokenChange(t), tokenChange(t), tokenChange(t), tokenChange(t));
  }

  @Test
  void rotatingATokenAppendsOneChangeWithOrWithoutGrace() {
    TokenRecord t = seedToken();
    long start = feedHead();
    TokenRecord withGrace = updated(t, Fixtures.rotated(t, hash(1, "second"), T0.plusSeconds(300)));
    TokenRecord noGrace = new TokenRecord(Fixtures.withGraceEnded(withGrace).token(), hash(1, "third"), null);
    updated(withGrace, noGrace);
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void shorteningOrEndingTheGracePeriodAppendsOneChangeEachTime() {
    TokenRecord t = seedToken();
    TokenRecord rotated = updated(t, Fixtures.rotated(t, hash(1, "second"), T0.plusSeconds(600)));
    long start = feedHead();
    TokenRecord shorter = updated(rotated, Fixtures.withGraceUntil(rotated, T0.plusSeconds(60)));
    updated(shorter, Fixtures.withGraceEnded(shorter));
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void reHashingATokenAppendsOneChangeEachTime() {
    TokenRecord t = seedToken();
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
    TokenRecord t = insert(token(k, "t1"));
    insert(token(k, "t2"));
    long start = feedHead();
    assertThat(store.deleteToken(t.token().ref())).isPresent();
    assertFeedAfter(start, tokenChange(t));
  }

  @Test
  void deletingAKeyAppendsOneChangePerTokenOfThatKeyOnly() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = insert(apiKey(sa.ref(), "k2"));
    ApiKey empty = insert(apiKey(sa.ref(), "k3"));
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k, "t3");
    insert(t1, t2, t3);
    updated(t3, Fixtures.withStatus(t3, TokenStatus.REVOKED)); // a revoked token's deletion is announced too
    insert(token(k2.ref(), "u1"));
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
    ApiKey k2 = insert(apiKey(sa.ref(), "k2"));
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k2.ref(), "t3");
    insert(t1, t2, t3);
    Principal other = insert(serviceAccount("acme", "bot2"));
    ApiKey otherKey = insert(apiKey(other.ref(), "k1"));
    insert(token(otherKey.ref(), "t1"));
    long start = feedHead();
    assertThat(deleteCurrent(sa.ref())).isPresent();
    assertFeedAfterInAnyOrder(start, tokenChange(t1), tokenChange(t2), tokenChange(t3), principalChange(sa.ref()));
  }

  @Test
  void deletingAnAccountAppendsEveryTokenAndPrincipalInIt() {
    TokenRecord t1 = seedToken();
    Principal alice = insert(user("acme", "alice"));
    ApiKey aliceKey = insert(apiKey(alice.ref(), "mine"));
    TokenRecord t2 = insert(token(aliceKey.ref(), "t1"));
    Principal idle = insert(serviceAccount("acme", "idle")); // no keys
    store.insertAccount(account("acme2"));
    Principal elsewhere = insert(serviceAccount("acme2", "bot"));
    ApiKey elsewhereKey = insert(apiKey(elsewhere.ref(), "k1"));
    insert(token(elsewhereKey.ref(), "t1"));
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
    TokenRecord t = seedToken();
    long start = feedHead();

    TokenRecord renamed = updated(t, Fixtures.withText(t, "renamed", "", t.token().tags()));
    TokenRecord described = updated(renamed, Fixtures.withText(renamed, "renamed", "now described", renamed.token().tags()));
    TokenRecord retagged = updated(described, Fixtures.withText(described, "renamed", "now described",
        Map.of("env", "prod", "team", "b")));
    TokenRecord untagged = updated(retagged, Fixtures.withText(retagged, "renamed", "now described", Map.of()));
    TokenRecord unchanged = updated(untagged, Fixtures.withText(untagged, "renamed", "now described", Map.of()));
    ApiKey keyRenamed = Fixtures.edited(key, "Renamed key", "another description", Map.of("x", "y"),
        Duration.ofDays(7));
    assertThat(store.updateApiKey(1, keyRenamed)).isTrue();
    assertThat(store.updateApiKey(2, Fixtures.edited(keyRenamed, "Key", "", Map.of(), null))).isTrue();
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
