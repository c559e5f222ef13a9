package dev.latchkey;

import java.time.Duration;
import java.time.Instant;

/**
 * An expiry notice: the token expires within {@code threshold}. Sent once per token, threshold and
 * expiry across every node that shares the store (see {@link Latchkey.Builder#expiryNotices}).
 * Carries identifiers and times only, never a token value.
 *
 * @param token the token
 * @param lookupId the token's public lookup id (not secret), to match it in logs
 * @param expiresAt when the token stops verifying
 * @param threshold the notice threshold reached, e.g. 7 days
 */
public record TokenExpiring(TokenRef token, String lookupId, Instant expiresAt, Duration threshold) {
  public TokenExpiring {
    Checks.notNull("token", token);
    Checks.notNull("lookupId", lookupId);
    Checks.notNull("expiresAt", expiresAt);
    Checks.notNull("threshold", threshold);
  }

  /** The principal that owns the token, whom to tell. */
  public PrincipalRef principal() {
    return token.owner();
  }

  public ApiKeyRef apiKey() {
    return token.apiKey();
  }
}
