package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Token;
import dev.latchkey.TokenStatus;
import dev.latchkey.Verified;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The staleness rule of {@code VerificationEngine}, on a store with a change feed and a clock the
 * test moves: a cached entry is used only while {@code now - max(its read, the start of the last
 * successful poll) <= stalenessBound}. Background tasks never run here (the scheduler accepts them
 * and does nothing), so every poll is one the test makes, and every store read is counted.
 */
class StalenessRuleTest {
  private static final Duration BOUND = Duration.ofSeconds(1);

  /** Takes the periodic tasks (poll, flush, sweep) and never runs them. */
  private final ScheduledThreadPoolExecutor idle = new ScheduledThreadPoolExecutor(1) {
    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
      return schedule(() -> { }, 365, TimeUnit.DAYS);
    }
  };
  private final FeedSwitch store = new FeedSwitch(new SimpleTokenStore());
  private final World w = new World(store, b -> b.stalenessBound(BOUND).scheduler(idle));

  @AfterEach
  void close() {
    w.close();
    idle.shutdownNow();
  }

  /** A store whose change feed can be made to fail, as an unreachable feed table would. */
  static final class FeedSwitch extends ForwardingTokenStore {
    volatile boolean feedDown;

    FeedSwitch(SimpleTokenStore delegate) {
      super(delegate);
    }

    @Override
    public Optional<ChangeFeed> changeFeed() {
      ChangeFeed real = delegate.changeFeed().orElseThrow();
      return Optional.of(new ChangeFeed() {
        @Override
        public long latestSequence() {
          check();
          return real.latestSequence();
        }

        @Override
        public List<Change> changesSince(long after, int limit) {
          check();
          return real.changesSince(after, limit);
        }

        @Override
        public int pruneBefore(Instant cutoff) {
          check();
          return real.pruneBefore(cutoff);
        }
      });
    }

    private void check() {
      if (feedDown) {
        throw new dev.latchkey.StoreException("simulated change-feed outage");
      }
    }
  }

  private long lookups() {
    return w.store.tokenLookups.get();
  }

  @Test
  void anEntryStaysUsableWhilePollsKeepSucceedingAndIsReReadAfterTheBoundWithoutThem() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    long read = lookups();

    w.clock.advance(Duration.ofMillis(900));
    w.latchkey.pollChanges(); // began 900 ms after the read
    w.clock.advance(Duration.ofMillis(900));
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    assertThat(lookups()).as("1.8 s after the read, 0.9 s after a poll began: still cached").isEqualTo(read);

    w.clock.advance(Duration.ofMillis(101)); // 1.001 s after the poll began, and no poll since
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    assertThat(lookups()).as("re-read once past the bound").isEqualTo(read + 1);
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    assertThat(lookups()).as("and the fresh read is cached again").isEqualTo(read + 1);
  }

  @Test
  void aFeedThatCannotBeReadMakesEntriesAgeOutAfterTheBound() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    long read = lookups();
    store.feedDown = true;
    w.clock.advance(Duration.ofMillis(600));
    w.latchkey.pollChanges(); // fails: it must not count as a poll
    w.clock.advance(Duration.ofMillis(600));
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    assertThat(lookups()).as("1.2 s after the read, the only poll since failed").isEqualTo(read + 1);
    assertThat(w.latchkey.stats().changeFeedPolls()).as("successful polls: the one at start only").isEqualTo(1);
  }

  @Test
  void aChangeMadeElsewhereIsSeenThroughThePollNotBefore() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    // another node revokes: straight in the shared store, which appends to the feed
    TokenRecord stored = w.memory.findToken(t.ref()).orElseThrow();
    Token before = stored.token();
    Token revoked = new Token(before.ref(), before.lookupId(), before.name(), before.description(), before.tags(),
        before.createdAt(), before.expiresAt(), TokenStatus.REVOKED, before.rotatedAt(), before.previousValidUntil(),
        before.lastUsedAt(), before.version() + 1);
    assertThat(w.memory.updateToken(stored.version(), new TokenRecord(revoked, stored.current(), stored.previous())))
        .isTrue();

    w.clock.advance(Duration.ofMillis(500));
    assertThat(w.verifier.verify(t.value())).as("within the bound, before any poll: the cached record")
        .isInstanceOf(Verified.class);
    w.latchkey.pollChanges();
    assertThat(w.verifier.verify(t.value())).as("the poll read the change").isEqualTo(Rejected.of(RejectReason.REVOKED));
  }

  @Test
  void aClockThatMovesBackMakesEntriesStaleNeverFresher() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    long read = lookups();
    w.clock.advance(Duration.ofSeconds(-5));
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
    assertThat(lookups()).as("an entry read in the clock's future is not trusted").isEqualTo(read + 1);
  }
}
