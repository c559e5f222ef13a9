package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.NewToken;
import dev.latchkey.Principal;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Verified;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A token's cache entry remembers the principal it was last verified with (the memo that keeps a
 * cache hit allocation-free). That memo is only a shortcut to the principal cache: once the
 * principal's own entry is invalidated, or has outlived its own lifetime, the memo must not be
 * used, and a principal disabled meanwhile in the store is seen as disabled. The principal is
 * disabled directly in the store, as another node would, so nothing but these rules can tell.
 */
class MemoizedPrincipalTest {

  private static void disableInStore(Node n) {
    Principal p = n.store.findPrincipal(n.bot).orElseThrow();
    assertThat(n.store.updatePrincipal(p.version(), p.withEnabled(false))).isTrue();
  }

  @Test
  void anInvalidatedPrincipalIsReReadEvenThoughTheTokensEntryRemembersIt() {
    try (Node n = new Node(false)) {
      IssuedToken t = n.m.issueToken(n.system, NewToken.of(n.bot.apiKey("k"), "t", "T"));
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class); // memo in place
      disableInStore(n);
      n.engine.invalidatePrincipal(n.bot); // what the change-feed poller does for the other node's edit
      assertThat(n.engine.verify(t.value())).isEqualTo(Rejected.of(RejectReason.DISABLED));
    }
  }

  @Test
  void aPrincipalEntryPastItsMaximumAgeIsReReadEvenThoughAYoungerTokenEntryRemembersIt() {
    try (Node n = new Node(false)) {
      IssuedToken first = n.m.issueToken(n.system, NewToken.of(n.bot.apiKey("k"), "a", "A"));
      IssuedToken later = n.m.issueToken(n.system, NewToken.of(n.bot.apiKey("k"), "b", "B"));
      assertThat(n.engine.verify(first.value())).isInstanceOf(Verified.class); // the principal is read now
      n.clock.advance(Duration.ofMinutes(9)); // Node: maximum entry age 10 min, staleness bound 1 h
      assertThat(n.engine.verify(later.value())).as("the principal from the cache, 9 min old")
          .isInstanceOf(Verified.class); // later's entry, 10 min to live, remembers that principal entry
      disableInStore(n);
      n.clock.advance(Duration.ofMinutes(1));
      assertThat(n.engine.verify(later.value())).as("the principal entry at its maximum age, the token's 1 min old")
          .isEqualTo(Rejected.of(RejectReason.DISABLED));
    }
  }
}
