package dev.latchkey.internal;

import java.time.Duration;

/** Tuning of the verification engine; validated by the builder. */
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
    int maxBcryptCost) {}
