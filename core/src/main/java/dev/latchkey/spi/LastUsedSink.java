package dev.latchkey.spi;

import dev.latchkey.InvalidArgumentException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Optional store capability ({@link TokenStore#lastUsedSink()}): persisting when tokens were last
 * used. Latchkey notes uses in memory on the verification path and hands them over in batches, off
 * that path. Without it, nothing is noted and {@link dev.latchkey.Token#lastUsedAt()} stays as
 * stored (empty for tokens this store issued).
 *
 * <p>Latchkey hands batches to {@link #recordLastUses}, which carries the client address of each
 * use as well. A store that persists addresses overrides it; the default keeps the times only, so
 * a sink written as a lambda over {@link #recordLastUsed} still works (without addresses).
 */
@FunctionalInterface
public interface LastUsedSink {
  /**
   * Records last-used times by lookup id in one batch. A stored time only moves forward; unknown ids
   * are ignored; null keys or values are an {@link dev.latchkey.InvalidArgumentException}. Does not
   * change versions and does not append to the change feed.
   */
  void recordLastUsed(Map<String, Instant> lastUsedByLookupId);

  /**
   * Records last uses (time and client address) by lookup id in one batch. Same rules as {@link
   * #recordLastUsed}: a stored time only moves forward, and the address is stored together with the
   * time it belongs to (a use that does not move the time forward changes neither; a use without an
   * address clears the stored one, since the latest use came from no known address). Null keys or
   * values are an {@link InvalidArgumentException}. The default records the times only.
   */
  default void recordLastUses(Map<String, LastUse> lastUsesByLookupId) {
    if (lastUsesByLookupId == null) {
      throw new InvalidArgumentException("last uses must not be null");
    }
    Map<String, Instant> times = new HashMap<>();
    for (Map.Entry<String, LastUse> e : lastUsesByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last uses must not contain null lookup ids or uses");
      }
      times.put(e.getKey(), e.getValue().at());
    }
    recordLastUsed(times);
  }
}
