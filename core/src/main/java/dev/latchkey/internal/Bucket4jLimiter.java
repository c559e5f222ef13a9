package dev.latchkey.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.latchkey.RateLimit;
import dev.latchkey.RateLimited;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Token buckets from Bucket4j, one per limited token (keyed by its lookup id) and one per limited
 * API key (keyed by its reference), in one size-bounded Caffeine cache apart from the verification
 * cache: a verification record re-read from the store finds its bucket again.
 *
 * <p><b>Memory.</b> At most {@code maxBuckets} buckets in the cache; beyond that Caffeine evicts
 * (its size policy: roughly the least recently looked up). The background sweep drops every bucket
 * that is full again: a new bucket starts full, so dropping a full one changes nothing, and idle
 * buckets go within one sweep of having refilled. Only a bucket evicted by the size bound while not
 * yet full loses its state (its key or token starts full again).
 *
 * <p><b>Hot path.</b> A verification record remembers the bucket holders it last used ({@link
 * TokenEntry#tokenBucket}, {@link TokenEntry#keyBucket}), so a cached verification does not look the
 * cache up at all: it checks that the holder is not retired and was made for the same limit, then
 * calls Bucket4j's {@code tryConsume} under the bucket's lock ({@link
 * SynchronizationStrategy#SYNCHRONIZED} updates the state in place; the lock-free strategy copies
 * it on every call). Nothing is allocated while under the limit. A holder is retired when the sweep
 * drops it, when the size bound evicts it and when a changed limit replaces it; the next use then
 * goes through the cache. (A request racing with a retirement may take from the retired bucket: at
 * most one request per race goes uncounted.) A refusal allocates its result and an estimate of the wait.
 *
 * <p><b>Time</b> comes from the injected clock (a custom {@link TimeMeter}), so tests control it: on
 * the verification path the verification's own reading of it, elsewhere (the sweep) a new one.
 */
final class Bucket4jLimiter extends RateLimiter {
  private final int nodes;
  private final TimeMeter meter;
  private final Cache<Object, Holder> buckets;
  /**
   * The verification's clock reading while {@link #acquire} runs on this thread, else {@link #UNSET}:
   * the buckets' time meter reads it instead of the clock again (a clock read cost about half of a
   * bucket's time on the hot path).
   */
  private final ThreadLocal<long[]> acquiring = ThreadLocal.withInitial(() -> new long[] {UNSET});
  private static final long UNSET = Long.MIN_VALUE;

  /** One bucket and the limit it was made for: a changed limit gets a new bucket. */
  private static final class Holder {
    final RateLimit configured;
    final RateLimit enforced;
    final Bucket bucket;
    volatile boolean retired;

    Holder(RateLimit configured, RateLimit enforced, Bucket bucket) {
      this.configured = configured;
      this.enforced = enforced;
      this.bucket = bucket;
    }
  }

  Bucket4jLimiter(Clock clock, long maxBuckets, int nodes) {
    this.nodes = nodes;
    this.meter = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        long now = acquiring.get()[0];
        return TimeUnit.MILLISECONDS.toNanos(now != UNSET ? now : clock.millis());
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
    this.buckets = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(maxBuckets)
        .removalListener((Object key, Holder h, RemovalCause cause) -> {
          if (h != null && cause != RemovalCause.REPLACED) {
            h.retired = true;
          }
        })
        .build();
  }

  @Override
  boolean available() {
    return true;
  }

  @Override
  @Nullable RateLimited acquire(TokenEntry entry, long nowMillis) {
    long[] now = acquiring.get();
    now[0] = nowMillis;
    try {
      return take(entry);
    } finally {
      now[0] = UNSET;
    }
  }

  private @Nullable RateLimited take(TokenEntry entry) {
    RateLimit tokenLimit = entry.tokenRateLimit;
    Holder token = null;
    if (tokenLimit != null) {
      token = remembered(entry.tokenBucket, tokenLimit);
      if (token == null) {
        token = holder(entry.lookupId(), tokenLimit);
        entry.tokenBucket = token;
      }
      if (!token.bucket.tryConsume(1)) {
        return refused(entry, RateLimited.LimitedBy.TOKEN, token);
      }
    }
    RateLimit keyLimit = entry.keyRateLimit;
    if (keyLimit != null) {
      Holder key = remembered(entry.keyBucket, keyLimit);
      if (key == null) {
        key = holder(entry.keyRef, keyLimit);
        entry.keyBucket = key;
      }
      if (!key.bucket.tryConsume(1)) {
        if (token != null) {
          token.bucket.addTokens(1); // the request did not happen: the token's bucket gets its request back
        }
        return refused(entry, RateLimited.LimitedBy.API_KEY, key);
      }
    }
    return null;
  }

  /** The holder an entry remembers, if it is still the live one for this limit. */
  private static @Nullable Holder remembered(@Nullable Object memo, RateLimit limit) {
    if (memo instanceof Holder h && !h.retired && (h.configured == limit || h.configured.equals(limit))) {
      return h;
    }
    return null;
  }

  private Holder holder(Object key, RateLimit limit) {
    Holder h = buckets.getIfPresent(key);
    if (h != null && !h.retired && h.configured.equals(limit)) {
      return h;
    }
    return buckets.asMap().compute(key, (k, old) -> {
      if (old != null && !old.retired && old.configured.equals(limit)) {
        return old;
      }
      if (old != null) {
        old.retired = true; // replaced: a changed limit gets a new bucket
      }
      return newHolder(limit);
    });
  }

  private Holder newHolder(RateLimit configured) {
    RateLimit enforced = perNode(configured, nodes);
    Bucket bucket = Bucket.builder()
        .addLimit(l -> l.capacity(enforced.burst()).refillGreedy(enforced.requests(), enforced.per()))
        .withCustomTimePrecision(meter)
        .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
        .build();
    return new Holder(configured, enforced, bucket);
  }

  /** The share of {@code limit} one of {@code nodes} nodes enforces: requests and burst divided, rounded down, at least 1. */
  static RateLimit perNode(RateLimit limit, int nodes) {
    if (nodes == 1) {
      return limit;
    }
    return new RateLimit(Math.max(1, limit.requests() / nodes), limit.per(), Math.max(1, limit.burst() / nodes));
  }

  private RateLimited refused(TokenEntry entry, RateLimited.LimitedBy by, Holder h) {
    long waitNanos = h.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    return new RateLimited(entry.record.token().ref(), entry.lookupId(), by, h.enforced,
        Duration.ofNanos(Math.max(0, waitNanos)));
  }

  /** Drops (and retires) every bucket that is full again. */
  @Override
  void sweep() {
    for (var e : buckets.asMap().entrySet()) {
      Holder h = e.getValue();
      if (h.bucket.getAvailableTokens() >= h.enforced.burst() && buckets.asMap().remove(e.getKey(), h)) {
        h.retired = true;
      }
    }
  }

  /** Buckets currently kept (for tests). */
  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
