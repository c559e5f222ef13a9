package dev.latchkey;

/**
 * The outcome of {@link TokenVerifier#verify}: either {@link Verified} or {@link Rejected}. Every
 * rejection looks the same to the caller of an API (answer 401); {@link Rejected#reason()} is for
 * logs and metrics only and must not be sent to the client.
 */
public sealed interface VerificationResult permits Verified, Rejected {
  boolean isValid();
}
