package dev.latchkey;

import java.util.Map;

/**
 * A snapshot of a verifier's counters since it was built.
 *
 * @param valid verifications that succeeded
 * @param rejected rejections per reason (every reason present, zero if none)
 */
public record VerificationStats(
    long valid, Map<RejectReason, Long> rejected, long cacheHits, long cacheMisses, long storeErrors) {
  public VerificationStats {
    rejected = Map.copyOf(rejected);
  }

  public long rejected(RejectReason reason) {
    return rejected.getOrDefault(reason, 0L);
  }

  public long total() {
    return valid + rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
