package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKeyEdit;
import dev.latchkey.AuditListener;
import dev.latchkey.ConfigurationException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.RateLimit;
import dev.latchkey.RateLimited;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenEdit;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rate limits on tokens and keys, through the public API, on an injected clock. */
class RateLimitTest {

  private static IssuedToken issue(World w, String key, RateLimit keyLimit, String token, RateLimit tokenLimit) {
    var keyRef = w.alice.ref().apiKey(key);
    if (w.memory.findApiKey(keyRef).isEmpty()) {
      NewApiKey k = NewApiKey.of(w.alice.ref(), key, "Key " + key);
      w.m.createApiKey(w.system, keyLimit == null ? k : k.withRateLimit(keyLimit));
    }
    NewToken t = NewToken.of(keyRef, token, "Token " + token);
    return w.m.issueToken(w.system, tokenLimit == null ? t : t.withRateLimit(tokenLimit));
  }

  private static RateLimited limited(VerificationResult r) {
    assertThat(r).isInstanceOf(RateLimited.class);
    return (RateLimited) r;
  }

  @Test
  void aTokensLimitAllowsItsBurstThenRefusesUntilItRefills() {
    try (World w = new World()) {
      IssuedToken t = issue(w, "k", null, "t", new RateLimit(3, Duration.ofSeconds(1), 3));
      for (int i = 0; i < 3; i++) {
        assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      }
      RateLimited r = limited(w.verifier.verify(t.value()));
      assertThat(r.limitedBy()).isEqualTo(RateLimited.LimitedBy.TOKEN);
      assertThat(r.token()).isEqualTo(t.token().ref());
      assertThat(r.limit()).isEqualTo(new RateLimit(3, Duration.ofSeconds(1), 3));
      assertThat(r.retryAfter()).isBetween(Duration.ofMillis(300), Duration.ofMillis(334));
      assertThat(r.retryAfterSeconds()).isEqualTo(1);
      assertThat(r.isValid()).isFalse();

      w.clock.advance(Duration.ofMillis(334)); // one request refilled (3 per second)
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(RateLimited.class);
      assertThat(w.latchkey.stats().rateLimited()).isEqualTo(2);
      assertThat(w.latchkey.stats().valid()).isEqualTo(4);
    }
  }

  @Test
  void aKeysLimitIsOneBucketForAllItsTokens() {
    try (World w = new World()) {
      RateLimit perMinute = RateLimit.of(2, Duration.ofMinutes(1));
      IssuedToken a = issue(w, "k", perMinute, "a", null);
      IssuedToken b = issue(w, "k", perMinute, "b", null);
      assertThat(w.verifier.verify(a.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(b.value())).isInstanceOf(Verified.class);
      RateLimited r = limited(w.verifier.verify(a.value()));
      assertThat(r.limitedBy()).isEqualTo(RateLimited.LimitedBy.API_KEY);
      assertThat(r.apiKey()).isEqualTo(w.alice.ref().apiKey("k"));
      assertThat(r.retryAfterSeconds()).isEqualTo(30);
      // another key of the same owner has its own (no) limit
      IssuedToken other = issue(w, "other", null, "c", null);
      assertThat(w.verifier.verify(other.value())).isInstanceOf(Verified.class);
    }
  }

  @Test
  void bothLimitsApplyAndARequestTheKeyRefusesCostsTheTokenNothing() {
    try (World w = new World()) {
      IssuedToken t = issue(w, "k", RateLimit.of(2, Duration.ofHours(1)), "t", RateLimit.of(5, Duration.ofHours(1)));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      for (int i = 0; i < 10; i++) {
        assertThat(limited(w.verifier.verify(t.value())).limitedBy()).isEqualTo(RateLimited.LimitedBy.API_KEY);
      }
      // lift the key's limit: the token's own bucket still holds the 3 it had, no less
      w.m.editApiKey(w.system, w.alice.ref().apiKey("k"), ApiKeyEdit.none().noRateLimit());
      for (int i = 0; i < 3; i++) {
        assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      }
      assertThat(limited(w.verifier.verify(t.value())).limitedBy()).isEqualTo(RateLimited.LimitedBy.TOKEN);
    }
  }

  @Test
  void onlyRequestsThatWouldOtherwisePassTakeFromTheBucket() {
    try (World w = new World()) {
      IssuedToken t = issue(w, "k", null, "t", RateLimit.of(1, Duration.ofHours(1)));
      String wrong = t.value().reveal().substring(0, t.value().reveal().length() - 8) + "AAAAAAAA";
      for (int i = 0; i < 20; i++) {
        assertThat(w.verifier.verify(wrong)).isInstanceOf(Rejected.class); // bad secret or checksum
      }
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(RateLimited.class);
      w.m.revokeToken(w.system, t.token().ref());
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.REVOKED)); // revoked beats limited
    }
  }

  @Test
  void editingATokensLimitTakesEffectAtOnceOnThisNodeAndShowsInTheToken() {
    try (World w = new World()) {
      IssuedToken t = issue(w, "k", null, "t", null);
      for (int i = 0; i < 5; i++) {
        assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      }
      var edited = w.m.editToken(w.system, t.token().ref(), TokenEdit.none().rateLimit(RateLimit.parse("1/1h")));
      assertThat(edited.rateLimit()).isEqualTo(RateLimit.of(1, Duration.ofHours(1)));
      assertThat(w.m.getToken(w.system, t.token().ref()).rateLimit()).hasToString("1/1h");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(RateLimited.class);
      w.m.editToken(w.system, t.token().ref(), TokenEdit.none().noRateLimit());
      assertThat(w.m.getToken(w.system, t.token().ref()).rateLimit()).isNull();
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.audit).anySatisfy(e -> assertThat(e.details()).containsEntry("rateLimit", "1/1h"));
      assertThat(w.audit).anySatisfy(e -> assertThat(e.details()).containsEntry("rateLimit", "none"));
    }
  }

  @Test
  void aKeysNewLimitReachesAnotherNodeThroughTheChangeFeed() {
    SimpleTokenStore shared = new SimpleTokenStore();
    try (World a = new World(shared, b -> b.stalenessBound(Duration.ofHours(1)));
        Latchkey b = Latchkey.builder().store(shared).peppers(World.PEPPERS).tokenPrefix("acme").clock(a.clock)
            .auditListener(AuditListener.none()).stalenessBound(Duration.ofHours(1)).build()) {
      IssuedToken t = issue(a, "k", null, "t", null);
      assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class); // cached on B, unlimited
      a.m.editApiKey(a.system, a.alice.ref().apiKey("k"), ApiKeyEdit.none().rateLimit(RateLimit.parse("1/1d")));
      assertThat(a.m.getApiKey(a.system, a.alice.ref().apiKey("k")).rateLimit()).hasToString("1/1d");
      assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class); // B has not polled yet (bound: 1 h)
      b.pollChanges();
      assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class);
      assertThat(b.verifier().verify(t.value())).isInstanceOf(RateLimited.class);
    }
  }

  @Test
  void dividedByTheExpectedNodeCountEachNodeEnforcesItsShare() {
    try (World w = new World(b -> b.rateLimitNodes(3))) {
      IssuedToken t = issue(w, "k", null, "t", new RateLimit(10, Duration.ofMinutes(1), 20));
      for (int i = 0; i < 6; i++) { // burst 20 / 3 = 6
        assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      }
      RateLimited r = limited(w.verifier.verify(t.value()));
      assertThat(r.limit()).isEqualTo(new RateLimit(3, Duration.ofMinutes(1), 6)); // 10 / 3 = 3 per minute
      assertThat(r.retryAfterSeconds()).isEqualTo(20);
    }
    assertThatThrownBy(() -> Latchkey.builder().rateLimitNodes(0)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("rateLimitNodes must be 1 to 1000");
    assertThatThrownBy(() -> Latchkey.builder().rateLimitBuckets(0)).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aRateLimitedAnswerCountsAsACacheHitInTheStats() {
    try (World w = new World()) {
      IssuedToken t = issue(w, "k", null, "t", RateLimit.of(1, Duration.ofHours(1)));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(RateLimited.class);
      assertThat(w.verifier.verify(t.value())).isInstanceOf(RateLimited.class);
      var stats = w.latchkey.stats();
      assertThat(stats.rateLimited()).isEqualTo(2);
      assertThat(stats.cacheMisses()).as("the first").isEqualTo(1);
      assertThat(stats.cacheHits()).as("the two refused, looked up in the cache").isEqualTo(2);
    }
  }

  @Test
  void verifyCachedCountsAndLimitsLikeVerify() {
    try (World w = new World()) {
      IssuedToken t = issue(w, "k", null, "t", RateLimit.of(2, Duration.ofHours(1)));
      assertThat(w.verifier.verifyCached(t.value().reveal())).isNull(); // not cached yet: nothing taken
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verifyCached(t.value().reveal())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verifyCached(t.value().reveal())).isInstanceOf(RateLimited.class);
    }
  }

  @Test
  void listingsShowLimits() {
    try (World w = new World()) {
      issue(w, "k", RateLimit.parse("100/1m,burst=150"), "t", RateLimit.parse("10/1s"));
      var keys = w.m.listApiKeys(w.system, w.alice.ref(), dev.latchkey.PageRequest.first(10)).items();
      assertThat(keys).singleElement().satisfies(k -> assertThat(k.rateLimit()).hasToString("100/1m,burst=150"));
      var tokens = w.m.listTokens(w.system, w.alice.ref().apiKey("k"), dev.latchkey.PageRequest.first(10)).items();
      assertThat(tokens).singleElement().satisfies(t -> assertThat(t.rateLimit()).hasToString("10/1s"));
    }
  }
}
