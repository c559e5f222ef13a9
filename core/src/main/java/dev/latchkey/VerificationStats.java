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
 */
public record VerificationStats(
    long valid,
    Map<RejectReason, Long> rejected,
    long cacheHits,
    long cacheMisses,
    long storeErrors,
    long changeFeedPolls,
    long changesApplied) {
  public VerificationStats {
    rejected = Map.copyOf(rejected);
  }

  /** The verifier's own counters, before the change feed's are added. */
  public VerificationStats(long valid, Map<RejectReason, Long> rejected, long cacheHits, long cacheMisses, long storeErrors) {
    this(valid, rejected, cacheHits, cacheMisses, storeErrors, 0, 0);
  }

  public long rejected(RejectReason reason) {
    return rejected.getOrDefault(reason, 0L);
  }

  public long total() {
    return valid + rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
