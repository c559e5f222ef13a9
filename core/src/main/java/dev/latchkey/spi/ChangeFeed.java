package dev.latchkey.spi;

import java.time.Instant;
import java.util.List;

/**
 * A store's numbered log of verification-relevant changes, read by every node to invalidate its
 * cache. The store appends to it in the same transaction as the change itself.
 *
 * <p>Contract (checked by the store TCK): sequences start at 1 and have no gaps; a reader never
 * sees change {@code n + 1} before change {@code n} has become visible (commit order equals
 * sequence order); every token update or delete, including cascades, appends one {@link
 * Change.Type#TOKEN} change per token, and every principal update or delete appends one {@link
 * Change.Type#PRINCIPAL} change.
 */
public interface ChangeFeed {
  /** The sequence of the newest change, or 0 if there has never been one. */
  long latestSequence();

  /**
   * Up to {@code limit} changes with a sequence greater than {@code after}, in ascending order. A
   * store may return fewer than {@code limit} even when more exist (for example to cap one read);
   * readers read until the result is empty. If the changes right after {@code after} were pruned,
   * the first returned sequence is greater than {@code after + 1}; readers treat that as
   * "everything may have changed".
   */
  List<Change> changesSince(long after, int limit);

  /**
   * Deletes the oldest changes, in sequence order, up to (not including) the first one recorded at
   * or after {@code cutoff}, and never the newest one; returns how many were deleted.
   */
  int pruneBefore(Instant cutoff);
}
