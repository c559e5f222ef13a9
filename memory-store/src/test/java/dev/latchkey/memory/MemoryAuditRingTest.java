package dev.latchkey.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.PageRequest;
import dev.latchkey.spi.AuditTrail;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The memory store's audit trail is a bounded ring: the newest events, in the newest-first order. */
class MemoryAuditRingTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void aFullRingDropsItsOldestEvents() {
    AuditTrail trail = new MemoryTokenStore(Clock.systemUTC(), 5).auditTrail().orElseThrow();
    List<AuditEvent> events = IntStream.range(0, 12).mapToObj(i -> new AuditEvent(T0.plusSeconds(i), "system",
        AuditAction.API_KEY_CREATED, "acme", "acme/sa/ci/k" + i, Map.of())).toList();
    events.forEach(trail::append);
    assertThat(trail.query(AuditQuery.all(), PageRequest.first(100)).items())
        .containsExactly(events.get(11), events.get(10), events.get(9), events.get(8), events.get(7));
  }

  @Test
  void theCapacityIsChecked() {
    assertThatThrownBy(() -> new MemoryTokenStore(Clock.systemUTC(), 0)).isInstanceOf(InvalidArgumentException.class);
    assertThat(MemoryTokenStore.DEFAULT_AUDIT_CAPACITY).isEqualTo(10_000);
  }
}
