package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * Turns a presented token into a {@link VerificationResult}. Thread-safe; never throws, whatever
 * the input (null, huge, binary): failures, including store failures, are {@link Rejected} results.
 */
public interface TokenVerifier {
  /**
   * Verifies without knowing where the request came from: a token whose key or which itself has an
   * address allow-list never passes ({@link RejectReason#ADDRESS_NOT_ALLOWED}). Callers that know
   * the client's address use {@link #verify(CharSequence, RequestContext)}.
   */
  VerificationResult verify(@Nullable CharSequence presented);

  /**
   * Verifies a token presented with a request: like {@link #verify(CharSequence)}, and the client's
   * address (if the context has one) is checked against the key's and the token's allow-lists. The
   * default ignores the context, so that a verifier that does not implement it lets no allow-listed
   * token pass.
   */
  default VerificationResult verify(@Nullable CharSequence presented, RequestContext context) {
    return verify(presented);
  }

  /** {@link #verifyCached(CharSequence)} with a request context (see {@link #verify(CharSequence, RequestContext)}). */
  default @Nullable VerificationResult verifyCached(@Nullable CharSequence presented, RequestContext context) {
    return verifyCached(presented);
  }

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

  default VerificationResult verify(@Nullable TokenValue presented, RequestContext context) {
    return verify(presented == null ? null : presented.reveal(), context);
  }
}
