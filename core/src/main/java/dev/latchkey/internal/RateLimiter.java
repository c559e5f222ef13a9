package dev.latchkey.internal;

import dev.latchkey.ConfigurationException;
import dev.latchkey.RateLimit;
import dev.latchkey.RateLimited;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Enforces {@link RateLimit}s on this node. Bucket4j is an optional dependency, so every reference to
 * it lives in {@link Bucket4jLimiter}, which is loaded only when Bucket4j is on the class path;
 * without it, {@link #unavailable()} refuses to set limits and fails closed on tokens that have one.
 */
abstract class RateLimiter {
  /** The class whose presence means Bucket4j can be used. */
  static final String BUCKET4J_CLASS = "io.github.bucket4j.Bucket";

  static final String MISSING = "rate limits need Bucket4j on the class path: add the dependency"
      + " com.bucket4j:bucket4j_jdk17-core (on the module path, also requires io.github.bucket4j.core)";

  /**
   * Takes one request from each bucket that applies to {@code entry} (the token's, then its key's),
   * at {@code nowMillis} (the verification's one clock reading). Null when every bucket had one (the
   * hot path: allocates nothing); otherwise the refusal, and no bucket is left charged for this request.
   */
  abstract @Nullable RateLimited acquire(TokenEntry entry, long nowMillis);

  /** Drops buckets that are full again (background; see {@link Bucket4jLimiter}). */
  void sweep() {}

  /** Whether limits can be enforced here. */
  abstract boolean available();

  /** Throws {@link ConfigurationException} when limits cannot be enforced on this node. */
  final void requireAvailable() {
    if (!available()) {
      throw new ConfigurationException(MISSING);
    }
  }

  /** The Bucket4j-backed limiter if Bucket4j can be loaded, else {@link #unavailable()}. */
  static RateLimiter create(Clock clock, long maxBuckets, int nodes) {
    return create(clock, maxBuckets, nodes, RateLimiter.class.getClassLoader());
  }

  /** As {@link #create(Clock, long, int)}, looking for Bucket4j through {@code loader} (tests hide it). */
  static RateLimiter create(Clock clock, long maxBuckets, int nodes, @Nullable ClassLoader loader) {
    try {
      Class.forName(BUCKET4J_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return unavailable();
    }
    return new Bucket4jLimiter(clock, maxBuckets, nodes);
  }

  static RateLimiter unavailable() {
    return Unavailable.INSTANCE;
  }

  private static final class Unavailable extends RateLimiter {
    static final Unavailable INSTANCE = new Unavailable();

    @Override
    @Nullable RateLimited acquire(TokenEntry entry, long nowMillis) {
      throw new IllegalStateException("not called: the engine checks available() first");
    }

    @Override
    boolean available() {
      return false;
    }
  }
}
