package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.IssuedToken;
import dev.latchkey.PageRequest;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.UnsupportedByStoreException;
import dev.latchkey.Verified;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Latchkey on a store that offers the required core only: it starts, says once what it does
 * without each capability, and issues, verifies and revokes as usual; the management calls that need
 * a missing capability fail with a message naming it.
 */
class CoreOnlyStoreTest {

  private static long warnings(LogCapture logs, String text) {
    return logs.lines().stream().filter(l -> l.contains(" WARN ") && l.contains(text)).count();
  }

  @Test
  void startsWarnsOnceAndStillIssuesVerifiesAndRevokes() {
    try (LogCapture logs = new LogCapture();
        World w = new World(ForwardingTokenStore.coreOnly(new SimpleTokenStore()),
            b -> b.stalenessBound(Duration.ofSeconds(1)))) {
      assertThat(warnings(logs, "no change feed")).as("the start-up warning about the change feed").isEqualTo(1);
      assertThat(warnings(logs, "no hash-usage statistics")).as("the start-up warning about the pepper check")
          .isEqualTo(1);

      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      IssuedToken other = w.token(w.ci.ref(), "k", "other");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(other.value())).isInstanceOf(Verified.class);
      w.m.revokeToken(w.system, t.ref());
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
      w.m.deleteToken(w.system, other.ref());
      assertThat(w.verifier.verify(other.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));

      // entries are re-read after the staleness bound, and nothing warns again
      IssuedToken third = w.token(w.ci.ref(), "k", "third");
      assertThat(w.verifier.verify(third.value())).isInstanceOf(Verified.class);
      long lookups = w.store.tokenLookups.get();
      w.clock.advance(Duration.ofMillis(1001));
      w.latchkey.pollChanges();
      assertThat(w.verifier.verify(third.value())).isInstanceOf(Verified.class);
      assertThat(w.store.tokenLookups.get()).as("re-read after the staleness bound").isEqualTo(lookups + 1);
      assertThat(warnings(logs, "no change feed")).isEqualTo(1);

      // no last-used sink: nothing is noted or written
      w.latchkey.flushLastUsed();
      assertThat(w.store.lastUsedBatches.get()).isZero();
      assertThat(w.memory.findToken(third.ref()).orElseThrow().token().lastUsedAt()).isNull();

      assertThatThrownBy(() -> w.m.hashUsage(w.system)).isInstanceOf(UnsupportedByStoreException.class)
          .hasMessageContaining("hash-usage statistics");
      assertThatThrownBy(() -> w.m.listTokensExpiringBetween(w.system, World.START, World.START.plus(Duration.ofDays(1)),
          PageRequest.first())).isInstanceOf(UnsupportedByStoreException.class)
          .hasMessageContaining("expiring-tokens query");
    }
  }
}
