package dev.latchkey;

/**
 * The outcome of {@link TokenVerifier#verify}: {@link Verified}, {@link Rejected} or {@link
 * RateLimited}. Every rejection looks the same to the caller of an API (answer 401); {@link
 * Rejected#reason()} is for logs and metrics only and must not be sent to the client. A {@link
 * RateLimited} token was right but presented too often: answer 429 with its retry-after.
 */
public sealed interface VerificationResult permits Verified, Rejected, RateLimited {
  boolean isValid();
}
