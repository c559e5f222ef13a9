package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * Turns a presented token into a {@link VerificationResult}. Thread-safe; never throws, whatever
 * the input (null, huge, binary): failures, including store failures, are {@link Rejected} results.
 */
public interface TokenVerifier {
  VerificationResult verify(@Nullable CharSequence presented);

  /**
   * Verifies without any store read or other blocking call, for callers on threads that must not
   * block (an event loop): the result when the answer is known from this node's cache (or needs no
   * lookup at all: a malformed token), or {@code null} when it needs the store, in which case call
   * {@link #verify} on a thread that may block. A result returned here is exactly what {@link
   * #verify} would have returned, and is counted the same; a {@code null} is not counted. The default
   * always returns {@code null}: a verifier that cannot tell is treated as blocking.
   */
  default @Nullable VerificationResult verifyCached(@Nullable CharSequence presented) {
    return null;
  }

  default VerificationResult verify(@Nullable TokenValue presented) {
    return verify(presented == null ? null : presented.reveal());
  }
}
