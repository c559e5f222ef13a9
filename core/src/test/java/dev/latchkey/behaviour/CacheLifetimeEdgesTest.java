package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Verified;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The verifier's cache rules at their edges, to the millisecond of the injected clock (the class
 * comment of {@code VerificationEngine}): an entry is used while its age since the later of its
 * read and the last completed poll is at most the staleness bound, strictly before the end of its
 * own lifetime (the maximum entry age for a live token, the negative TTL for an unknown id or a
 * revoked token), and never when the clock reads earlier than its read. Used means no store lookup.
 */
class CacheLifetimeEdgesTest {
  @Test
  void withoutAFeedAnEntryIsUsedUpToTheStalenessBoundAndReReadOneMillisecondLater() {
    try (World w = new World(new VerificationCacheTest.NoFeedStore(new SimpleTokenStore()),
        b -> b.stalenessBound(Duration.ofSeconds(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      long lookups = w.store.tokenLookups.get();
      w.clock.advance(Duration.ofSeconds(1));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.store.tokenLookups.get()).as("at exactly the bound").isEqualTo(lookups);
      w.clock.advance(Duration.ofMillis(1));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.store.tokenLookups.get()).as("1 ms past the bound").isEqualTo(lookups + 1);
    }
  }

  @Test
  void aLiveTokensEntryIsUsedUntilTheMillisecondBeforeTheMaximumAge() {
    try (World w = new World(b -> b.maxCacheEntryAge(Duration.ofMinutes(1)).stalenessBound(Duration.ofHours(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      long lookups = w.store.tokenLookups.get();
      w.clock.advance(Duration.ofMinutes(1).minusMillis(1));
      w.verifier.verify(t.value());
      assertThat(w.store.tokenLookups.get()).as("1 ms before the maximum age").isEqualTo(lookups);
      w.clock.advance(Duration.ofMillis(1));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.store.tokenLookups.get()).as("at the maximum age").isEqualTo(lookups + 1);
    }
  }

  @Test
  void unknownIdsAndRevokedTokensAreKeptForTheNegativeTtlExactly() {
    try (World w = new World(b -> b.negativeCacheTtl(Duration.ofSeconds(10)).stalenessBound(Duration.ofHours(1)))) {
      IssuedToken gone = w.token(w.ci.ref(), "k", "gone");
      IssuedToken revoked = w.token(w.ci.ref(), "k", "revoked");
      w.m.deleteToken(w.system, gone.token().ref());
      w.m.revokeToken(w.system, revoked.token().ref());
      assertThat(w.verifier.verify(gone.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(w.verifier.verify(revoked.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
      long lookups = w.store.tokenLookups.get();
      w.clock.advance(Duration.ofSeconds(10).minusMillis(1));
      assertThat(w.verifier.verify(gone.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(w.verifier.verify(revoked.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
      assertThat(w.store.tokenLookups.get()).as("1 ms before the negative TTL").isEqualTo(lookups);
      w.clock.advance(Duration.ofMillis(1));
      assertThat(w.verifier.verify(gone.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(w.verifier.verify(revoked.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
      assertThat(w.store.tokenLookups.get()).as("at the negative TTL, both re-read").isEqualTo(lookups + 2);
    }
  }

  @Test
  void aClockThatMovesBackMakesEntriesStaleNeverFresher() {
    try (World w = new World(b -> b.stalenessBound(Duration.ofHours(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      long lookups = w.store.tokenLookups.get();
      w.clock.set(World.START.minusMillis(1));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.store.tokenLookups.get()).as("re-read when the clock reads before the entry's read")
          .isEqualTo(lookups + 1);
    }
  }

  @Test
  void droppingTheCacheMakesEveryEntryReRead() {
    try (World w = new World(b -> b.stalenessBound(Duration.ofHours(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      long lookups = w.store.tokenLookups.get();
      w.verifier.verify(t.value());
      assertThat(w.store.tokenLookups.get()).isEqualTo(lookups);
      w.latchkey.invalidateCache();
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.store.tokenLookups.get()).isEqualTo(lookups + 1);
    }
  }

  @Test
  void anExistingPrincipalIsCachedForTheMaximumAgeNotTheNegativeTtl() {
    try (World w = new World(b -> b.negativeCacheTtl(Duration.ofSeconds(2)).maxCacheEntryAge(Duration.ofMinutes(1))
        .stalenessBound(Duration.ofHours(1)))) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.verifier.verify(t.value());
      long calls = w.store.calls.get();
      w.clock.advance(Duration.ofSeconds(2));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.store.calls.get()).as("past the negative TTL: neither token nor principal re-read").isEqualTo(calls);
    }
  }
}
