package dev.latchkey;

import java.time.Duration;

/**
 * A token that verified (right secret, active, unexpired, its principal enabled) but was presented
 * more often than a rate limit allows: its own, or its API key's ({@link #limitedBy}). Not valid:
 * serve it as HTTP 429 with {@code Retry-After: }{@link #retryAfterSeconds()} (the servlet filter
 * does, with the IETF {@code RateLimit} and {@code RateLimit-Policy} headers). A request refused here
 * consumed nothing from any bucket.
 *
 * @param token the token presented (its key and owner through it)
 * @param lookupId its public lookup id, for correlating logs; not secret
 * @param limitedBy whose limit refused the request
 * @param limit the limit as this node enforces it: the configured one, divided by the expected node
 *     count if the instance is configured so
 * @param retryAfter how long until the bucket has a request again
 */
public record RateLimited(TokenRef token, String lookupId, LimitedBy limitedBy, RateLimit limit, Duration retryAfter)
    implements VerificationResult {

  /** Which bucket refused the request. */
  public enum LimitedBy {
    TOKEN("token"),
    API_KEY("key");

    private final String policyName;

    LimitedBy(String policyName) {
      this.policyName = policyName;
    }

    /** The policy's name in the {@code RateLimit}/{@code RateLimit-Policy} headers: {@code token} or {@code key}. */
    public String policyName() {
      return policyName;
    }
  }

  public RateLimited {
    Checks.notNull("token", token);
    Checks.notNull("lookupId", lookupId);
    Checks.notNull("limitedBy", limitedBy);
    Checks.notNull("limit", limit);
    if (retryAfter == null || retryAfter.isNegative()) {
      throw new InvalidArgumentException("retryAfter must be zero or positive");
    }
  }

  @Override
  public boolean isValid() {
    return false;
  }

  /** {@link #retryAfter} in whole seconds, rounded up, at least 1: the value of a {@code Retry-After} header. */
  public long retryAfterSeconds() {
    long s = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    return Math.max(1, s);
  }

  public ApiKeyRef apiKey() {
    return token.apiKey();
  }
}
