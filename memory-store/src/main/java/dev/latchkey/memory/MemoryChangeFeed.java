package dev.latchkey.memory;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The {@link MemoryTokenStore}'s change feed. Appends happen under the store's lock, as the last
 * step of the mutation they announce, so a reader never sees a change before its data.
 */
final class MemoryChangeFeed implements ChangeFeed {
  private final Clock clock;
  private final Object lock;
  private final ConcurrentSkipListMap<Long, Change> changes = new ConcurrentSkipListMap<>();
  private long lastSequence;

  MemoryChangeFeed(Clock clock, Object storeLock) {
    this.clock = clock;
    this.lock = storeLock;
  }

  /** Numbers and records one change; the caller holds the store's lock. */
  void append(Change.Type type, String subject) {
    long sequence = ++lastSequence;
    changes.put(sequence, new Change(sequence, type, subject, clock.instant()));
  }

  @Override
  public long latestSequence() {
    synchronized (lock) {
      return lastSequence;
    }
  }

  @Override
  public List<Change> changesSince(long after, int limit) {
    if (limit < 1) {
      throw new InvalidArgumentException("limit must be positive");
    }
    List<Change> result = new ArrayList<>(Math.min(limit, 1024));
    for (Change c : changes.tailMap(after, false).values()) {
      if (result.size() == limit) {
        break;
      }
      result.add(c);
    }
    return result;
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    synchronized (lock) {
      int removed = 0;
      for (Change c : List.copyOf(changes.values())) {
        if (c.sequence() == lastSequence || !c.at().isBefore(cutoff)) {
          break;
        }
        changes.remove(c.sequence());
        removed++;
      }
      return removed;
    }
  }
}
