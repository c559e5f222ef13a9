package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationStats;
import dev.latchkey.Verified;
import java.time.Duration;
import dev.latchkey.testing.World;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code verifyCached}: answers from the cache only, never reads the store, returns null (counting
 * nothing) where {@code verify} would read it; and the new metrics hooks (store-lookup timing,
 * last-used queue depth, change-feed lag).
 */
class VerifyCachedTest {

  @Test
  void aTokenNotInTheCacheNeedsTheStoreAndNothingIsCounted() {
    try (World w = new World()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.latchkey.invalidateCache();
      long calls = w.store.calls.get();
      VerificationStats before = w.latchkey.stats();

      assertThat(w.verifier.verifyCached(t.value().reveal())).isNull();

      assertThat(w.store.calls.get()).as("no store call").isEqualTo(calls);
      VerificationStats after = w.latchkey.stats();
      assertThat(after.total()).isEqualTo(before.total());
      assertThat(after.cacheMisses()).isEqualTo(before.cacheMisses());
    }
  }

  @Test
  void aCachedTokenIsAnsweredWithoutTheStoreExactlyAsVerifyWould() {
    try (World w = new World()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      long calls = w.store.calls.get();
      long valid = w.latchkey.stats().valid();

      var cached = w.verifier.verifyCached(t.value().reveal());

      assertThat(cached).isInstanceOf(Verified.class);
      assertThat(((Verified) cached).principal()).isEqualTo(w.ci.ref());
      assertThat(w.store.calls.get()).isEqualTo(calls);
      assertThat(w.latchkey.stats().valid()).isEqualTo(valid + 1);
    }
  }

  @Test
  void malformedAndCachedUnknownAnswersNeedNoStore() {
    try (World w = new World()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      String value = t.value().reveal();
      assertThat(w.verifier.verifyCached("not a token")).isEqualTo(Rejected.of(RejectReason.MALFORMED));
      w.m.deleteToken(w.system, t.ref());
      assertThat(w.verifier.verifyCached(value)).as("deleted: not in the cache").isNull();
      assertThat(w.verifier.verify(value)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      long calls = w.store.calls.get();
      assertThat(w.verifier.verifyCached(value)).as("negative entry").isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(w.store.calls.get()).isEqualTo(calls);
    }
  }

  @Test
  void aPrincipalThatMustBeReReadMakesTheAnswerNeedTheStore() {
    try (World w = new World()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      // a principal change invalidates the principal's cache entry, not the token's
      w.m.editPrincipal(w.system, w.ci.ref(), PrincipalEdit.none().permissions(java.util.Set.of("deploy", "read", "audit")));
      long calls = w.store.calls.get();
      assertThat(w.verifier.verifyCached(t.value().reveal())).isNull();
      assertThat(w.store.calls.get()).isEqualTo(calls);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verifyCached(t.value().reveal())).isInstanceOf(Verified.class);
    }
  }

  @Test
  void entriesPastTheStalenessBoundNeedTheStore() {
    try (World w = new World()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      w.clock.advance(w.latchkey.stalenessBound().plusMillis(1));
      assertThat(w.verifier.verifyCached(t.value().reveal())).isNull();
    }
  }

  @Test
  void storeLookupsAreTimedForTheListenerAndTheLastUsedQueueIsCounted() {
    AtomicLong lookups = new AtomicLong();
    AtomicLong nanos = new AtomicLong();
    VerificationListener listener = new VerificationListener() {
      @Override
      public void onStoreLookup(long n) {
        lookups.incrementAndGet();
        nanos.addAndGet(n);
      }
    };
    try (World w = new World(b -> b.verificationListener(listener).lastUsedFlushInterval(Duration.ofHours(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.latchkey.invalidateCache();
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(lookups.get()).as("the token, its key (for the key's restriction) and its principal").isEqualTo(3);
      assertThat(nanos.get()).isPositive();
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(lookups.get()).as("a cache hit reads nothing").isEqualTo(3);

      assertThat(w.latchkey.stats().lastUsedPending()).isEqualTo(1);
      w.latchkey.flushLastUsed();
      assertThat(w.latchkey.stats().lastUsedPending()).isZero();
    }
  }

  @Test
  void theChangeFeedLagGrowsWithTheClockAndResetsOnAPoll() {
    try (World w = new World(b -> b.stalenessBound(Duration.ofHours(1)))) {
      w.latchkey.pollChanges();
      assertThat(w.latchkey.stats().changeFeedLagMillis()).isZero();
      w.clock.advance(Duration.ofSeconds(7));
      assertThat(w.latchkey.stats().changeFeedLagMillis()).isEqualTo(7000);
      w.latchkey.pollChanges();
      assertThat(w.latchkey.stats().changeFeedLagMillis()).isZero();
    }
  }
}
