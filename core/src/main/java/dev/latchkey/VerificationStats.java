package dev.latchkey;

import java.util.Map;

/**
 * A snapshot of a verifier's counters since it was built.
 *
 * @param valid verifications that succeeded
 * @param rejected rejections per reason (every reason present, zero if none)
 * @param changeFeedPolls change-feed polls that completed (zero for a store without a change feed)
 * @param changesApplied change-feed entries those polls applied to this node's cache: changes made
 *     through any node, this one included. It shows that revocations reach this node through the
 *     feed rather than by cache entries ageing out.
 * @param changeFeedLagMillis how long ago, by the instance's clock, the last completed change-feed
 *     poll began: every change committed before then has been applied on this node. Normally at
 *     most half the staleness bound plus one poll's duration; {@code -1} for a store without a
 *     change feed
 * @param lastUsedPending tokens whose last-used time was noted but not yet written to the store
 */
public record VerificationStats(
    long valid,
    Map<RejectReason, Long> rejected,
    long cacheHits,
    long cacheMisses,
    long storeErrors,
    long changeFeedPolls,
    long changesApplied,
    long changeFeedLagMillis,
    long lastUsedPending) {
  public VerificationStats {
    rejected = Map.copyOf(rejected);
  }

  /** Without the change-feed lag (reported as -1, no feed) and the last-used queue (0). */
  public VerificationStats(long valid, Map<RejectReason, Long> rejected, long cacheHits, long cacheMisses,
      long storeErrors, long changeFeedPolls, long changesApplied) {
    this(valid, rejected, cacheHits, cacheMisses, storeErrors, changeFeedPolls, changesApplied, -1, 0);
  }

  /** The verifier's own counters, before the change feed's are added. */
  public VerificationStats(long valid, Map<RejectReason, Long> rejected, long cacheHits, long cacheMisses, long storeErrors) {
    this(valid, rejected, cacheHits, cacheMisses, storeErrors, 0, 0, -1, 0);
  }

  public long rejected(RejectReason reason) {
    return rejected.getOrDefault(reason, 0L);
  }

  public long total() {
    return valid + rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
