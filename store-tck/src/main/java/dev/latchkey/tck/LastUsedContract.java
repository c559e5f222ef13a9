package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.spi.TokenRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.LastUsedSink}, skipped for stores without it.
 */
@ContractGroup.Requires(ContractGroup.Capability.LAST_USED)
abstract class LastUsedContract extends ContractGroup {
  @Test
  void lastUsedOnlyMovesForwardAndLeavesVersionAndFeedAlone() {
    TokenRecord t = seedToken();
    long head = feedHead();
    Instant used = T0.plusSeconds(100);
    store.lastUsedSink().orElseThrow().recordLastUsed(Map.of(t.lookupId(), used, "unknownLookupId0", used));
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(Fixtures.withLastUsed(t, used));
    store.lastUsedSink().orElseThrow().recordLastUsed(Map.of(t.lookupId(), used.minusSeconds(50)));
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).isEqualTo(used);
    assertThat(feedHead()).isEqualTo(head);
    // an update afterwards keeps the stored last-used time
    TokenRecord renamed = Fixtures.withName(t, "renamed", Map.of());
    assertThat(store.updateToken(1, renamed)).isTrue();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).isEqualTo(used);
  }
}
