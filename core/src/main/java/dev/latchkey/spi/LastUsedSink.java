package dev.latchkey.spi;

import java.time.Instant;
import java.util.Map;

/**
 * Optional store capability ({@link TokenStore#lastUsedSink()}): persisting when tokens were last
 * used. Latchkey notes uses in memory on the verification path and hands them over in batches, off
 * that path. Without it, nothing is noted and {@link dev.latchkey.Token#lastUsedAt()} stays as
 * stored (empty for tokens this store issued).
 */
@FunctionalInterface
public interface LastUsedSink {
  /**
   * Records last-used times by lookup id in one batch. A stored time only moves forward; unknown ids
   * are ignored; null keys or values are an {@link dev.latchkey.InvalidArgumentException}. Does not
   * change versions and does not append to the change feed.
   */
  void recordLastUsed(Map<String, Instant> lastUsedByLookupId);
}
