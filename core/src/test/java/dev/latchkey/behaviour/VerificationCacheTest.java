package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenFormat;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testing.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The verification cache on one node: hits, negative entries, shared misses, lifetimes, metrics. */
class VerificationCacheTest {

  @Test
  void aCachedTokenIsVerifiedWithoutTheStore() {
    try (World w = new World()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      long lookups = w.store.tokenLookups.get();
      long calls = w.store.calls.get();
      for (int i = 0; i < 1000; i++) {
        assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      }
      assertThat(w.store.tokenLookups.get()).isEqualTo(lookups);
      assertThat(w.store.calls.get()).isEqualTo(calls);
      assertThat(w.latchkey.stats().cacheHits()).isGreaterThanOrEqualTo(1000);
    }
  }

  @Test
  void unknownIdsAreCachedNegativelyForTheirOwnShortTtl() {
    // a long staleness bound: this test moves the clock, and only the negative TTL should matter
    try (World w = new World(b -> b.negativeCacheTtl(Duration.ofSeconds(2)).stalenessBound(Duration.ofHours(1)))) {
      TokenText codec = new TokenText(TokenFormat.withPrefix("acme"));
      SecureRandom r = new SecureRandom();
      String unknown = codec.encode(PrincipalType.USER, codec.newLookupId(r), codec.newSecret(r));
      assertThat(w.verifier.verify(unknown)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      long lookups = w.store.tokenLookups.get();
      w.verifier.verify(unknown);
      w.clock.advance(Duration.ofMillis(1500));
      w.verifier.verify(unknown);
      assertThat(w.store.tokenLookups.get()).as("served from the negative entry").isEqualTo(lookups);
      w.clock.advance(Duration.ofMillis(600));
      w.verifier.verify(unknown);
      assertThat(w.store.tokenLookups.get()).as("re-read after the negative TTL").isEqualTo(lookups + 1);
    }
  }

  @Test
  void concurrentMissesForOneIdShareOneStoreLookup() throws Exception {
    try (World w = new World()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.store.lookupDelayMillis = 200;
      long before = w.store.tokenLookups.get();
      int threads = 16;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<VerificationResult>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(pool.submit(() -> {
            go.await();
            return w.verifier.verify(t.value());
          }));
        }
        go.countDown();
        for (Future<VerificationResult> f : results) {
          assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(Verified.class);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(w.store.tokenLookups.get() - before).isEqualTo(1);
    }
  }

  @Test
  void entriesNeverOutliveTheTokensExpiryOrTheMaximumAge() {
    try (World w = new World(b -> b.maxCacheEntryAge(Duration.ofMinutes(1)).stalenessBound(Duration.ofHours(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      long lookups = w.store.tokenLookups.get();
      w.clock.advance(Duration.ofSeconds(30));
      w.verifier.verify(t.value());
      assertThat(w.store.tokenLookups.get()).isEqualTo(lookups);
      w.clock.advance(Duration.ofSeconds(31));
      w.verifier.verify(t.value());
      assertThat(w.store.tokenLookups.get()).as("re-read after the maximum entry age").isEqualTo(lookups + 1);
    }
  }

  @Test
  void withoutAWorkingChangeFeedEntriesAreReReadAfterTheStalenessBound() {
    // A store without a change feed: nothing tells this node about changes made elsewhere, so
    // cached records must not be trusted for longer than the bound.
    try (World w = new World(new NoFeedStore(new SimpleTokenStore()),
        b -> b.stalenessBound(Duration.ofSeconds(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      long lookups = w.store.tokenLookups.get();
      w.clock.advance(Duration.ofMillis(900));
      w.verifier.verify(t.value());
      assertThat(w.store.tokenLookups.get()).isEqualTo(lookups);
      // another node revokes directly in the shared store
      var record = w.memory.findToken(t.ref()).orElseThrow();
      var revoked = new dev.latchkey.spi.TokenRecord(new dev.latchkey.Token(record.token().ref(), record.lookupId(),
          record.token().name(), record.token().description(), record.token().tags(), record.token().createdAt(),
          record.token().expiresAt(), dev.latchkey.TokenStatus.REVOKED, record.token().rotatedAt(),
          null, record.token().lastUsedAt(), record.version() + 1), record.current(), null);
      assertThat(w.memory.updateToken(record.version(), revoked)).isTrue();
      w.clock.advance(Duration.ofMillis(101));
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
    }
  }

  @Test
  void aStuckLastUsedWriteDoesNotStopTheChangeFeedPoller() throws Exception {
    // Found by the benchmarks: last-used writes and change-feed polls shared one background thread,
    // so a flush that never finished starved the poller, every entry went stale after the bound, and
    // the cache stopped working. The poller now has its own thread.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stuck = new CountDownLatch(1);
    dev.latchkey.spi.TokenStore slow = new ForwardingTokenStore(new SimpleTokenStore()) {
      @Override
      public java.util.Optional<dev.latchkey.spi.LastUsedSink> lastUsedSink() {
        return super.lastUsedSink().map(sink -> m -> {
          stuck.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          sink.recordLastUsed(m);
        });
      }
    };
    try (World w = new World(slow, b -> b.clock(java.time.Clock.systemUTC()).stalenessBound(Duration.ofMillis(200))
        .lastUsedFlushInterval(Duration.ofMillis(50)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(stuck.await(10, TimeUnit.SECONDS)).as("the flush is stuck in the store").isTrue();
      long lookups = w.store.tokenLookups.get();
      long end = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // five staleness bounds
      while (System.nanoTime() < end) {
        assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
        Thread.sleep(2);
      }
      assertThat(w.store.tokenLookups.get() - lookups).as("store re-reads while the flush is stuck")
          .isLessThanOrEqualTo(1);
      release.countDown();
    } finally {
      release.countDown();
    }
  }

  @Test
  void theMetricsHookSeesEveryOutcomeAndCacheEvent() {
    AtomicLong valid = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong hits = new AtomicLong();
    AtomicLong misses = new AtomicLong();
    VerificationListener listener = new VerificationListener() {
      @Override
      public void onResult(VerificationResult result) {
        (result.isValid() ? valid : rejected).incrementAndGet();
      }

      @Override
      public void onCacheHit() {
        hits.incrementAndGet();
      }

      @Override
      public void onCacheMiss() {
        misses.incrementAndGet();
      }
    };
    try (World w = new World(b -> b.verificationListener(listener))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      w.verifier.verify(t.value());
      w.verifier.verify("garbage");
      w.m.revokeToken(w.system, t.ref());
      w.verifier.verify(t.value());
      assertThat(valid.get()).isEqualTo(2);
      assertThat(rejected.get()).isEqualTo(2);
      assertThat(misses.get()).isEqualTo(2); // first use, and after the revoke invalidated it
      assertThat(hits.get()).isEqualTo(1);
      var stats = w.latchkey.stats();
      assertThat(stats.valid()).isEqualTo(2);
      assertThat(stats.rejected(RejectReason.MALFORMED)).isEqualTo(1);
      assertThat(stats.rejected(RejectReason.REVOKED)).isEqualTo(1);
      assertThat(stats.total()).isEqualTo(4);
      assertThat(stats.cacheHits()).isEqualTo(1);
      assertThat(stats.cacheMisses()).isEqualTo(2);
    }
  }

  /** A store with its change feed hidden. */
  static final class NoFeedStore extends ForwardingTokenStore {
    NoFeedStore(dev.latchkey.spi.TokenStore delegate) {
      super(delegate);
    }

    @Override
    public java.util.Optional<dev.latchkey.spi.ChangeFeed> changeFeed() {
      return java.util.Optional.empty();
    }
  }
}
