package dev.latchkey.internal;

import java.time.Duration;

/**
 * Tuning of the verification engine; validated by the builder.
 *
 * @param rateLimitBuckets the most rate-limit buckets kept (keys and tokens together)
 * @param rateLimitNodes the expected node count each limit is divided by (1: each node enforces the whole limit)
 */
public record VerifierSettings(
    long cacheMaximumSize,
    Duration negativeCacheTtl,
    Duration maxCacheEntryAge,
    Duration stalenessBound,
    Duration lastUsedFlushInterval,
    int lastUsedBatchSize,
    int maxConcurrentBcrypt,
    boolean acceptLegacyTokens,
    long negativeCacheMaximumSize,
    int maxBcryptCost,
    long rateLimitBuckets,
    int rateLimitNodes) {

  /** With the default rate-limit settings: 100,000 buckets, each node enforcing the whole limit. */
  public VerifierSettings(long cacheMaximumSize, Duration negativeCacheTtl, Duration maxCacheEntryAge,
      Duration stalenessBound, Duration lastUsedFlushInterval, int lastUsedBatchSize, int maxConcurrentBcrypt,
      boolean acceptLegacyTokens, long negativeCacheMaximumSize, int maxBcryptCost) {
    this(cacheMaximumSize, negativeCacheTtl, maxCacheEntryAge, stalenessBound, lastUsedFlushInterval,
        lastUsedBatchSize, maxConcurrentBcrypt, acceptLegacyTokens, negativeCacheMaximumSize, maxBcryptCost,
        100_000, 1);
  }
}
