package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.hash;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.Principal;
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
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.ChangeFeed}, skipped for stores without one: numbering without
 * gaps in commit order, nothing appended by failed or no-op calls, a reader resuming from a cursor
 * while writers run, pruning.
 */
abstract class ChangeFeedContract extends ContractGroup {
  ChangeFeedContract(TokenStoreContract contract) {
    super(contract);
  }

  @BeforeEach
  void requireChangeFeed() {
    assumeTrue(store.changeFeed().isPresent(), "the store offers no change feed");
  }

  @Test
  void changeFeedRecordsEveryVerificationRelevantMutationOnceInOrder() {
    ApiKeyRef k = seedKey();
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k, "t3");
    store.insertToken(t1, 100, T0);
    store.insertToken(t2, 100, T0);
    store.insertToken(t3, 100, T0);
    long start = feedHead();

    store.updateToken(1, Fixtures.rotated(t1, hash(1, "n"), T0.plusSeconds(5)));      // TOKEN t1
    store.updatePrincipal(1, sa.withEnabled(false));                                   // PRINCIPAL
    store.deleteToken(t2.token().ref());                                               // TOKEN t2
    store.updateApiKey(1, new ApiKey(k, "renamed", "", Map.of(), key.scope(), Optional.empty(), T0, 2)); // nothing
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
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    TokenRecord revoked = Fixtures.withStatus(t, TokenStatus.REVOKED);
    assertThat(store.updateToken(1, revoked)).isTrue();
    Principal disabled = sa.withEnabled(false);
    assertThat(store.updatePrincipal(1, disabled)).isTrue();
    long start = feedHead();
    // stale: each would append if it were applied
    assertThat(store.updateToken(1, Fixtures.withExpiry(t, Optional.empty()))).isFalse();
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
  void pruningRemovesOldChangesButKeepsTheNewest() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    TokenRecord current = t;
    for (int i = 0; i < 5; i++) {
      TokenRecord next = Fixtures.withExpiry(current, Optional.of(T0.plus(Duration.ofDays(20 + i))));
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
}
