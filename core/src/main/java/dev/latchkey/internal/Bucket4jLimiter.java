package dev.latchkey.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
 * API key (keyed by its reference), in one bounded Caffeine cache apart from the verification cache:
 * a verification record re-read from the store keeps its bucket.
 *
 * <p><b>Memory.</b> At most {@code maxBuckets} buckets; beyond that the least recently used is
 * dropped. A bucket idle for as long as it takes to refill completely is dropped too: it would be
 * full again, which is how a new bucket starts, so dropping it changes nothing. Only a bucket evicted
 * by the size bound while not yet full loses its state (it starts full again).
 *
 * <p><b>Time</b> comes from the injected clock, for Bucket4j (a custom {@link TimeMeter}) and for the
 * cache's idle expiry alike, so tests control both.
 *
 * <p><b>Hot path.</b> A cache read and, for a bucket that has a request left, Bucket4j's {@code
 * tryConsume} under its lock ({@link SynchronizationStrategy#SYNCHRONIZED} updates the state in place;
 * the lock-free strategy copies it on every call): nothing is allocated. A refusal allocates its
 * result and an estimate of the wait.
 */
final class Bucket4jLimiter extends RateLimiter {
  private final Clock clock;
  private final int nodes;
  private final TimeMeter meter;
  private final Cache<Object, Holder> buckets;

  /** One bucket and what it was built for: a changed limit gets a new bucket. */
  private static final class Holder {
    final RateLimit configured;
    final RateLimit enforced;
    final Bucket bucket;
    final long idleNanos;

    Holder(RateLimit configured, RateLimit enforced, Bucket bucket, long idleNanos) {
      this.configured = configured;
      this.enforced = enforced;
      this.bucket = bucket;
      this.idleNanos = idleNanos;
    }
  }

  Bucket4jLimiter(Clock clock, long maxBuckets, int nodes) {
    this.clock = clock;
    this.nodes = nodes;
    this.meter = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return TimeUnit.MILLISECONDS.toNanos(clock.millis());
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
    this.buckets = Caffeine.newBuilder()
        .executor(Runnable::run)
        .ticker(meter::currentTimeNanos)
        .maximumSize(maxBuckets)
        .expireAfter(new Expiry<Object, Holder>() {
          @Override
          public long expireAfterCreate(Object key, Holder h, long currentTime) {
            return h.idleNanos;
          }

          @Override
          public long expireAfterUpdate(Object key, Holder h, long currentTime, long currentDuration) {
            return h.idleNanos;
          }

          @Override
          public long expireAfterRead(Object key, Holder h, long currentTime, long currentDuration) {
            return h.idleNanos;
          }
        })
        .build();
  }

  @Override
  boolean available() {
    return true;
  }

  @Override
  @Nullable RateLimited acquire(TokenEntry entry) {
    RateLimit tokenLimit = entry.tokenRateLimit;
    Holder token = null;
    if (tokenLimit != null) {
      token = holder(entry.lookupId(), tokenLimit);
      if (!token.bucket.tryConsume(1)) {
        return refused(entry, RateLimited.LimitedBy.TOKEN, token);
      }
    }
    RateLimit keyLimit = entry.keyRateLimit;
    if (keyLimit != null) {
      Holder key = holder(entry.keyRef, keyLimit);
      if (!key.bucket.tryConsume(1)) {
        if (token != null) {
          token.bucket.addTokens(1); // the request did not happen: the token's bucket gets its request back
        }
        return refused(entry, RateLimited.LimitedBy.API_KEY, key);
      }
    }
    return null;
  }

  private Holder holder(Object key, RateLimit limit) {
    Holder h = buckets.getIfPresent(key);
    if (h != null && h.configured.equals(limit)) {
      return h;
    }
    return buckets.asMap().compute(key, (k, old) -> old != null && old.configured.equals(limit) ? old : newHolder(limit));
  }

  private Holder newHolder(RateLimit configured) {
    RateLimit enforced = perNode(configured, nodes);
    Bucket bucket = Bucket.builder()
        .addLimit(l -> l.capacity(enforced.burst()).refillGreedy(enforced.requests(), enforced.per()))
        .withCustomTimePrecision(meter)
        .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
        .build();
    double refillNanos = (double) enforced.burst() * enforced.per().toNanos() / enforced.requests();
    long idle = (long) Math.min(Math.ceil(refillNanos), (double) Long.MAX_VALUE / 4);
    return new Holder(configured, enforced, bucket, Math.max(idle, 1));
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

  /** Buckets currently kept (for tests). */
  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  Clock clock() {
    return clock;
  }
}
