package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.TokenRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.LastUsedSink}, skipped for stores without it.
 */
abstract class LastUsedContract extends ContractGroup {
  LastUsedContract(TokenStoreContract contract) {
    super(contract);
  }

  private LastUsedSink lastUsed;

  @BeforeEach
  void requireLastUsedSink() {
    assumeTrue(store.lastUsedSink().isPresent(), "the store records no last use");
    lastUsed = store.lastUsedSink().get();
  }

  @Test
  void lastUsedOnlyMovesForwardAndLeavesVersionAndFeedAlone() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long head = feedHead();
    Instant used = T0.plusSeconds(100);
    lastUsed.recordLastUsed(Map.of(t.lookupId(), used, "unknownLookupId0", used));
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(Fixtures.withLastUsed(t, used));
    lastUsed.recordLastUsed(Map.of(t.lookupId(), used.minusSeconds(50)));
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).contains(used);
    assertThat(feedHead()).isEqualTo(head);
    // an update afterwards keeps the stored last-used time
    TokenRecord renamed = Fixtures.withName(t, "renamed", Map.of());
    assertThat(store.updateToken(1, renamed)).isTrue();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).contains(used);
  }
}
