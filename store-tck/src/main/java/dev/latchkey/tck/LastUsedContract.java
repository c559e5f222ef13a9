package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IpAddress;
import dev.latchkey.spi.LastUse;
import dev.latchkey.spi.LastUsedSink;
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

  @Test
  void theAddressTravelsWithItsTimeAndTheLatestUseWins() {
    TokenRecord t = seedToken();
    long head = feedHead();
    LastUsedSink sink = store.lastUsedSink().orElseThrow();
    Instant used = T0.plusSeconds(100);
    IpAddress v4 = IpAddress.parse("10.1.2.3");
    sink.recordLastUses(Map.of(t.lookupId(), new LastUse(used, v4), "unknownLookupId0", new LastUse(used, v4)));
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(Fixtures.withLastUsed(t, used, v4));
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedFrom()).isEqualTo(v4);

    // an older use from elsewhere changes neither the time nor the address
    sink.recordLastUses(Map.of(t.lookupId(), new LastUse(used.minusSeconds(50), IpAddress.parse("192.0.2.9"))));
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(Fixtures.withLastUsed(t, used, v4));

    // a later one replaces both; IPv6 in its canonical form survives the round trip
    IpAddress v6 = IpAddress.parse("2001:DB8:0:0:0:0:0:42");
    sink.recordLastUses(Map.of(t.lookupId(), new LastUse(used.plusSeconds(1), v6)));
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(Fixtures.withLastUsed(t, used.plusSeconds(1), v6));
    assertThat(store.findTokenByLookupId(t.lookupId()).orElseThrow().token().lastUsedFrom())
        .hasToString("2001:db8::42");

    // an update keeps both
    TokenRecord renamed = Fixtures.withName(t, "renamed", Map.of());
    assertThat(store.updateToken(1, renamed)).isTrue();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedFrom()).isEqualTo(v6);
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).isEqualTo(used.plusSeconds(1));

    // the latest use came without an address: the stored one no longer describes it
    sink.recordLastUses(Map.of(t.lookupId(), new LastUse(used.plusSeconds(2), null)));
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedFrom()).isNull();
    sink.recordLastUses(Map.of(t.lookupId(), new LastUse(used.plusSeconds(3), v4)));
    sink.recordLastUsed(Map.of(t.lookupId(), used.plusSeconds(4))); // times only: no address either
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedFrom()).isNull();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).isEqualTo(used.plusSeconds(4));
    assertThat(feedHead()).isEqualTo(head);
  }
}
