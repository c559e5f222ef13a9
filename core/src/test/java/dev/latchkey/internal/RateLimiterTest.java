package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ConfigurationException;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.RateLimit;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenEdit;
import dev.latchkey.Verified;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The limiter's parts the public API does not show: Bucket4j missing, bucket memory. (Allocation on the
 * hit path is measured by JMH: {@code RateLimitBenchmark}.)
 */
class RateLimiterTest {
  /** Sees only the JDK: Bucket4j is not there. */
  private static final ClassLoader WITHOUT_BUCKET4J = new ClassLoader(null) {};

  @Test
  void withoutBucket4jSettingALimitFailsClearlyAndNothingElseChanges() {
    RateLimiter none = RateLimiter.create(new MutableClock(Instant.EPOCH), 10, 1, WITHOUT_BUCKET4J);
    assertThat(none.available()).isFalse();
    try (Node n = new Node(false, none)) {
      var key = n.bot.apiKey("k");
      NewToken limited = NewToken.of(key, "t", "T").withRateLimit(RateLimit.parse("10/1s"));
      assertThatThrownBy(() -> n.m.issueToken(n.system, limited)).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("com.bucket4j:bucket4j_jdk17-core");
      assertThatThrownBy(() -> n.m.createApiKey(n.system, NewApiKey.of(n.bot, "k2", "K2")
          .withRateLimit(RateLimit.parse("10/1s")))).isInstanceOf(ConfigurationException.class);
      assertThatThrownBy(() -> n.m.editApiKey(n.system, key, ApiKeyEdit.none().rateLimit(RateLimit.parse("1/1s"))))
          .isInstanceOf(ConfigurationException.class);
      assertThat(n.store.findToken(key.token("t"))).isEmpty(); // nothing written

      // without limits everything works as before
      IssuedToken plain = n.m.issueToken(n.system, NewToken.of(key, "plain", "Plain"));
      assertThat(n.engine.verify(plain.value().reveal())).isInstanceOf(Verified.class);
      assertThatThrownBy(() -> n.m.editToken(n.system, plain.token().ref(), TokenEdit.none().rateLimit(RateLimit.parse("1/1s"))))
          .isInstanceOf(ConfigurationException.class);
      n.m.editToken(n.system, plain.token().ref(), TokenEdit.none().noRateLimit()); // removing is always allowed

      // a limit set elsewhere (another node, the CLI) fails closed here rather than being ignored
      TokenRecord stored = n.store.findToken(plain.token().ref()).orElseThrow();
      TokenRecord withLimit = new TokenRecord(TokenCopy.of(stored.token()).build(), stored.current(), stored.previous());
      withLimit = new TokenRecord(new dev.latchkey.Token(withLimit.token().ref(), withLimit.token().lookupId(),
          withLimit.token().name(), withLimit.token().description(), withLimit.token().tags(),
          withLimit.token().createdAt(), withLimit.token().expiresAt(), withLimit.token().status(), null, null, null,
          withLimit.token().version(), RateLimit.parse("5/1s")), stored.current(), null);
      assertThat(n.store.updateToken(stored.version(), withLimit)).isTrue();
      n.engine.invalidateToken(plain.token().lookupId());
      assertThat(n.engine.verify(plain.value().reveal())).isEqualTo(Rejected.of(RejectReason.RATE_LIMIT_UNAVAILABLE));
    }
  }

  @Test
  void withBucket4jOnTheClassPathTheRealLimiterIsUsed() {
    assertThat(RateLimiter.create(new MutableClock(Instant.EPOCH), 10, 1)).isInstanceOf(Bucket4jLimiter.class);
  }

  @Test
  void bucketsFullAgainAreDroppedByTheSweepAndTheCountIsBounded() {
    try (Node n = new Node(false)) {
      var key = n.bot.apiKey("k");
      IssuedToken t = n.m.issueToken(n.system, NewToken.of(key, "t", "T").withRateLimit(RateLimit.parse("2/10s")));
      Bucket4jLimiter limiter = (Bucket4jLimiter) n.engine.limiter();
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(Verified.class);
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(Verified.class);
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(dev.latchkey.RateLimited.class);
      assertThat(limiter.size()).isEqualTo(1);
      n.clock.advance(Duration.ofSeconds(9)); // 2 per 10 s, burst 2, empty: full again after 10 s
      n.engine.sweep();
      assertThat(limiter.size()).isEqualTo(1);
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(Verified.class); // refilled 1.8: one left
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(dev.latchkey.RateLimited.class);
      n.clock.advance(Duration.ofSeconds(10));
      n.engine.sweep();
      assertThat(limiter.size()).isZero();
      // the entry's remembered bucket was retired with it: the next use makes a new, full one
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(Verified.class);
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(Verified.class);
      assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(dev.latchkey.RateLimited.class);
      assertThat(limiter.size()).isEqualTo(1);
    }
    Bucket4jLimiter small = new Bucket4jLimiter(new MutableClock(Instant.EPOCH), 3, 1);
    try (Node n = new Node(false, small)) {
      var key = n.bot.apiKey("k");
      for (int i = 0; i < 10; i++) {
        IssuedToken t = n.m.issueToken(n.system, NewToken.of(key, "t" + i, "T").withRateLimit(RateLimit.parse("1/1h")));
        assertThat(n.engine.verify(t.value().reveal())).isInstanceOf(Verified.class);
      }
      assertThat(small.size()).isLessThanOrEqualTo(3);
    }
  }
}
