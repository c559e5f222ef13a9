package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.testing.World;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The metrics hooks of {@link VerificationListener} beyond outcomes and token-cache events: a hit
 * on an unknown id's negative entry, every store read timed, a store failure reported with its
 * exception; and a listener that throws from every hook changes no answer.
 */
class VerificationListenerHooksTest {

  @Test
  void aNegativeEntryIsACacheHitAndTheUnknownIdsStoreReadIsTimed() {
    AtomicLong hits = new AtomicLong();
    AtomicLong misses = new AtomicLong();
    AtomicLong lookups = new AtomicLong();
    VerificationListener listener = new VerificationListener() {
      @Override
      public void onCacheHit() {
        hits.incrementAndGet();
      }

      @Override
      public void onCacheMiss() {
        misses.incrementAndGet();
      }

      @Override
      public void onStoreLookup(long nanos) {
        assertThat(nanos).as("the read's duration").isBetween(0L, java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
        lookups.incrementAndGet();
      }
    };
    try (World w = new World(b -> b.verificationListener(listener))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.m.deleteToken(w.system, t.ref());
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(misses.get()).isEqualTo(1);
      assertThat(lookups.get()).as("the token only: nothing else is read for an unknown id").isEqualTo(1);
      assertThat(hits.get()).isZero();
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(hits.get()).as("answered from the negative entry").isEqualTo(1);
      assertThat(misses.get()).isEqualTo(1);
      assertThat(lookups.get()).isEqualTo(1);
    }
  }

  @Test
  void aStoreFailureIsReportedToTheListenerWithItsException() {
    List<RuntimeException> errors = new CopyOnWriteArrayList<>();
    VerificationListener listener = new VerificationListener() {
      @Override
      public void onStoreError(RuntimeException error) {
        errors.add(error);
      }
    };
    try (World w = new World(b -> b.verificationListener(listener))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.latchkey.invalidateCache();
      w.store.failing = true;
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.STORE_ERROR));
      assertThat(errors).hasSize(1);
      assertThat(w.latchkey.stats().storeErrors()).isEqualTo(1);
      w.store.failing = false;
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(errors).as("nothing more once the store answers").hasSize(1);
    }
  }

  @Test
  void aListenerThatThrowsFromEveryHookChangesNoAnswer() {
    VerificationListener broken = new VerificationListener() {
      @Override
      public void onResult(VerificationResult result) {
        throw new IllegalStateException("onResult");
      }

      @Override
      public void onStoreError(RuntimeException error) {
        throw new IllegalStateException("onStoreError");
      }

      @Override
      public void onStoreLookup(long nanos) {
        throw new IllegalStateException("onStoreLookup");
      }
    };
    try (World w = new World(b -> b.verificationListener(broken))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify("garbage")).isEqualTo(Rejected.of(RejectReason.MALFORMED));
      w.latchkey.invalidateCache();
      w.store.failing = true;
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.STORE_ERROR));
      assertThat(w.latchkey.stats().valid()).isEqualTo(2);
    }
  }

  @Test
  void aCacheOnlyAnswerIsACacheHitOnlyWhenItIsAnAnswer() {
    AtomicLong hits = new AtomicLong();
    VerificationListener listener = new VerificationListener() {
      @Override
      public void onCacheHit() {
        hits.incrementAndGet();
      }
    };
    try (World w = new World(b -> b.verificationListener(listener))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.verifier.verifyCached(t.value().reveal())).as("not cached yet").isNull();
      assertThat(hits.get()).isZero();
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(hits.get()).as("a miss").isZero();
      assertThat(w.verifier.verifyCached(t.value().reveal())).isInstanceOf(Verified.class);
      assertThat(hits.get()).isEqualTo(1);
    }
  }
}
