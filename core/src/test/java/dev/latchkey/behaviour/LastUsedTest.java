package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IpAddress;
import dev.latchkey.IssuedToken;
import dev.latchkey.PageRequest;
import dev.latchkey.RequestContext;
import dev.latchkey.Token;
import dev.latchkey.Verified;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Last-used times: noted on the hot path, written in batches, never blocking verification. */
class LastUsedTest {
  private static final Duration NEVER = Duration.ofHours(1);

  private static Instant lastUsed(World w, IssuedToken t) {
    Token token = w.m.listTokens(w.system, t.ref().apiKey(), PageRequest.first()).items().stream()
        .filter(x -> x.ref().equals(t.ref())).findFirst().orElseThrow();
    return token.lastUsedAt();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aVerificationShowsUpInListingsAfterAFlush() {
    try (World w = new World(b -> b.lastUsedFlushInterval(NEVER))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(lastUsed(w, t)).isNull();
      w.clock.advance(Duration.ofMinutes(3));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(lastUsed(w, t)).as("not written on the hot path").isNull();
      w.latchkey.flushLastUsed();
      assertThat(lastUsed(w, t)).isEqualTo(World.START.plus(Duration.ofMinutes(3)));
    }
  }

  private static Token listed(World w, IssuedToken t) {
    return w.m.listTokens(w.system, t.ref().apiKey(), PageRequest.first()).items().stream()
        .filter(x -> x.ref().equals(t.ref())).findFirst().orElseThrow();
  }

  @Test
  void aVerificationWithAClientAddressShowsItInListingsWithTheTime() {
    try (World w = new World(b -> b.lastUsedFlushInterval(NEVER))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      IpAddress from = IpAddress.parse("203.0.113.7");
      w.clock.advance(Duration.ofMinutes(3));
      assertThat(w.verifier.verify(t.value(), RequestContext.from(from))).isInstanceOf(Verified.class);
      assertThat(listed(w, t).lastUsedFrom()).as("not written on the hot path").isNull();
      w.latchkey.flushLastUsed();
      assertThat(listed(w, t).lastUsedAt()).isEqualTo(World.START.plus(Duration.ofMinutes(3)));
      assertThat(listed(w, t).lastUsedFrom()).isEqualTo(from);
      assertThat(w.store.lastUsedBatches.get()).as("the address rides in the same batch").isEqualTo(1);

      // within the resolution (here the flush interval, an hour) nothing new is noted, from whatever address
      w.clock.advance(Duration.ofMinutes(1));
      w.verifier.verify(t.value(), RequestContext.fromAddress("198.51.100.1"));
      w.latchkey.flushLastUsed();
      assertThat(listed(w, t).lastUsedFrom()).isEqualTo(from);
      assertThat(w.store.lastUsedBatches.get()).isEqualTo(1);

      // a later use from elsewhere replaces time and address together
      w.clock.advance(Duration.ofHours(2));
      w.verifier.verify(t.value(), RequestContext.fromAddress("2001:db8::1"));
      w.latchkey.flushLastUsed();
      assertThat(listed(w, t).lastUsedAt()).isEqualTo(World.START.plus(Duration.ofMinutes(124)));
      assertThat(listed(w, t).lastUsedFrom()).hasToString("2001:db8::1");
    }
  }

  @Test
  void aPlainVerificationRecordsTheTimeButNoAddress() {
    try (World w = new World(b -> b.lastUsedFlushInterval(NEVER))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value(), RequestContext.fromAddress("203.0.113.7"));
      w.latchkey.flushLastUsed();
      assertThat(listed(w, t).lastUsedFrom()).hasToString("203.0.113.7");
      w.clock.advance(Duration.ofHours(2)); // past the resolution (the flush interval here)
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      w.latchkey.flushLastUsed();
      assertThat(listed(w, t).lastUsedAt()).isEqualTo(World.START.plus(Duration.ofHours(2)));
      assertThat(listed(w, t).lastUsedFrom()).as("the latest use came from no known address").isNull();
    }
  }

  @Test
  void withinOneBatchTheLatestUseAndItsAddressWin() {
    try (World w = new World(b -> b.lastUsedFlushInterval(NEVER))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value(), RequestContext.fromAddress("10.0.0.1"));
      w.clock.advance(Duration.ofHours(2)); // past the resolution: noted again, still pending with the first
      w.verifier.verify(t.value(), RequestContext.fromAddress("10.0.0.2"));
      w.latchkey.flushLastUsed();
      assertThat(w.store.lastUsedBatches.get()).isEqualTo(1);
      assertThat(listed(w, t).lastUsedAt()).isEqualTo(World.START.plus(Duration.ofHours(2)));
      assertThat(listed(w, t).lastUsedFrom()).hasToString("10.0.0.2");
    }
  }

  @Test
  void aFullBatchIsWrittenWithoutWaitingForTheInterval() throws Exception {
    try (World w = new World(b -> b.lastUsedFlushInterval(NEVER).lastUsedBatchSize(3))) {
      IssuedToken a = w.token(w.ci.ref(), "k", "a");
      IssuedToken b = w.token(w.ci.ref(), "k", "b");
      IssuedToken c = w.token(w.ci.ref(), "k", "c");
      w.verifier.verify(a.value());
      w.verifier.verify(b.value());
      assertThat(w.store.lastUsedBatches.get()).isZero();
      w.verifier.verify(c.value());
      await("size-triggered flush", () -> lastUsed(w, a) != null && lastUsed(w, b) != null && lastUsed(w, c) != null);
    }
  }

  @Test
  void theIntervalFlushesWhatIsPending() throws Exception {
    try (World w = new World(b -> b.lastUsedFlushInterval(Duration.ofMillis(100)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      await("time-triggered flush", () -> lastUsed(w, t) != null);
    }
  }

  @Test
  void closingFlushes() {
    World w = new World(b -> b.lastUsedFlushInterval(NEVER));
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    w.verifier.verify(t.value());
    w.close();
    assertThat(w.memory.findToken(t.ref()).orElseThrow().token().lastUsedAt()).isEqualTo(World.START);
  }

  @Test
  void aFailedFlushLosesOneBatchOfLastUsedTimesAndNothingElse() {
    try (World w = new World(b -> b.lastUsedFlushInterval(NEVER))) {
      IssuedToken a = w.token(w.ci.ref(), "k", "a");
      IssuedToken b = w.token(w.ci.ref(), "k", "b");
      IssuedToken c = w.token(w.ci.ref(), "k", "c");
      w.verifier.verify(a.value());
      w.verifier.verify(b.value());
      w.store.failLastUsed = true;
      w.latchkey.flushLastUsed(); // fails; the batch {a, b} is dropped
      w.store.failLastUsed = false;
      w.verifier.verify(c.value());
      w.latchkey.flushLastUsed();
      assertThat(lastUsed(w, a)).isNull();
      assertThat(lastUsed(w, b)).isNull();
      assertThat(lastUsed(w, c)).isEqualTo(World.START);
      assertThat(w.store.lastUsedBatches.get()).isEqualTo(2);
      for (IssuedToken t : new IssuedToken[] {a, b, c}) {
        assertThat(w.verifier.verify(t.value())).as("tokens unaffected").isInstanceOf(Verified.class);
      }
      // after the resolution passes, a and b are noted again and written
      w.clock.advance(Duration.ofHours(2));
      w.verifier.verify(a.value());
      w.latchkey.flushLastUsed();
      assertThat(lastUsed(w, a)).isEqualTo(World.START.plus(Duration.ofHours(2)));
    }
  }

  @Test
  void aSlowFlushNeverBlocksVerification() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    dev.latchkey.spi.TokenStore slow = new ForwardingTokenStore(new SimpleTokenStore()) {
      @Override
      public java.util.Optional<dev.latchkey.spi.LastUsedSink> lastUsedSink() {
        return super.lastUsedSink().map(sink -> m -> {
          entered.countDown();
          try {
            release.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          sink.recordLastUsed(m);
        });
      }
    };
    try (World w = new World(slow, b -> b.lastUsedFlushInterval(NEVER))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      Thread flusher = new Thread(w.latchkey::flushLastUsed);
      flusher.start();
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      for (int i = 0; i < 10_000; i++) {
        w.clock.advance(Duration.ofSeconds(10)); // so that each verification notes a new last-used time
        assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("10k verifications during a stuck flush")
          .isLessThan(Duration.ofSeconds(5));
      release.countDown();
      flusher.join(10_000);
    }
  }
}
