package dev.latchkey;

/**
 * Turns a presented token into a {@link VerificationResult}. Thread-safe; never throws, whatever
 * the input (null, huge, binary): failures, including store failures, are {@link Rejected} results.
 */
public interface TokenVerifier {
  VerificationResult verify(CharSequence presented);

  default VerificationResult verify(TokenValue presented) {
    return verify(presented == null ? null : presented.reveal());
  }
}
