package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.NewToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Verified;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A cached entry past its maximum age is read from the store again. If the token did not change
 * (same version, same creation, same stored hash), what the old entry learned carries over: a
 * correct secret is then checked with the fast-check tag, not another HMAC (the HMAC probe counts).
 * If it changed, nothing carries over: the secret is checked against the new record in full, so a
 * hash replaced by another node's rotation never accepts the old secret through a stale tag.
 */
class ReReadEntryTest {
  private static final Duration MAX_AGE = Duration.ofMinutes(10); // Node's maxCacheEntryAge

  @Test
  void anUnchangedTokenReReadAfterItsMaximumAgeKeepsItsFastCheck() {
    try (Node n = new Node(false)) {
      IssuedToken t = n.m.issueToken(n.system, NewToken.of(n.bot.apiKey("k"), "t", "T"));
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class);
      long misses = n.engine.stats().cacheMisses();
      long hmacs = n.hmacs.get();
      n.clock.advance(MAX_AGE);
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(n.engine.stats().cacheMisses()).as("re-read from the store").isEqualTo(misses + 1);
      assertThat(n.hmacs.get() - hmacs).as("the fast-check tag carried over: no HMAC").isZero();
    }
  }

  @Test
  void aTokenChangedInTheStoreMeanwhileIsCheckedInFullAfterTheReRead() {
    try (Node n = new Node(false)) {
      IssuedToken t = n.m.issueToken(n.system, NewToken.of(n.bot.apiKey("k"), "t", "T"));
      IssuedToken other = n.m.issueToken(n.system, NewToken.of(n.bot.apiKey("k"), "other", "Other"));
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class);
      // another node gives t a new secret (other's hash) without this node hearing of it
      TokenRecord before = n.store.findTokenByLookupId(t.token().lookupId()).orElseThrow();
      TokenRecord otherRecord = n.store.findTokenByLookupId(other.token().lookupId()).orElseThrow();
      TokenRecord after = new TokenRecord(TokenCopy.of(before.token()).build(),
          otherRecord.current(), null);
      assertThat(n.store.updateToken(before.version(), after)).isTrue();
      n.clock.advance(MAX_AGE);
      long hmacs = n.hmacs.get();
      assertThat(n.engine.verify(t.value())).as("the old secret, after the re-read")
          .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      assertThat(n.hmacs.get() - hmacs).as("checked against the new hash, current and previous").isEqualTo(2);
    }
  }
}
