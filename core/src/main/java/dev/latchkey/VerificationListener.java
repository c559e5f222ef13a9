package dev.latchkey;

/**
 * A metrics hook called on the verification hot path. Implementations must be fast, thread-safe and
 * must not throw (exceptions are swallowed). No metrics library is needed; adapt to yours here.
 * Latchkey also keeps its own counters: {@link Latchkey#stats()}.
 */
public interface VerificationListener {
  /** Called once per verification with its result. */
  default void onResult(VerificationResult result) {}

  default void onCacheHit() {}

  default void onCacheMiss() {}

  /** The store failed while verifying; the verification was rejected with {@link RejectReason#STORE_ERROR}. */
  default void onStoreError(RuntimeException error) {}

  /**
   * A store read made while verifying (a token or a principal that was not usable from the cache)
   * took {@code nanos}, whether or not it succeeded. Called off the cache-hit path only.
   */
  default void onStoreLookup(long nanos) {}

  VerificationListener NONE = new VerificationListener() {};
}
