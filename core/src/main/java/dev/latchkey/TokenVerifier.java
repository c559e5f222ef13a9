package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * Turns a presented token into a {@link VerificationResult}. Thread-safe; never throws, whatever
 * the input (null, huge, binary): failures, including store failures, are {@link Rejected} results.
 */
public interface TokenVerifier {
  VerificationResult verify(@Nullable CharSequence presented);

  default VerificationResult verify(@Nullable TokenValue presented) {
    return verify(presented == null ? null : presented.reveal());
  }
}
