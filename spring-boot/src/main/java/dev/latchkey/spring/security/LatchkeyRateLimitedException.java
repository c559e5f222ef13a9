package dev.latchkey.spring.security;

import dev.latchkey.RateLimited;
import org.springframework.security.core.AuthenticationException;

/**
 * A valid token over its own or its key's rate limit, thrown by {@link LatchkeyAuthenticationProvider},
 * {@link LatchkeyOpaqueTokenIntrospector} and the reactive manager and introspector. {@link
 * LatchkeyAuthenticationEntryPoint} (servlet) and {@code LatchkeyServerAuthenticationEntryPoint}
 * (WebFlux) answer it with {@code 429} and the rate-limit headers rather than {@code 401}: the
 * credential is fine, the client must wait. {@link LatchkeyConfigurer} and {@code
 * LatchkeyServerSecurity} use them by themselves. The message names no token.
 */
public final class LatchkeyRateLimitedException extends AuthenticationException {
  private static final long serialVersionUID = 1L;

  private final transient RateLimited result;

  /**
   * An over-limit verification, answered with 429.
   *
   * @param result the verifier's over-limit result
   */
  public LatchkeyRateLimitedException(RateLimited result) {
    super("Rate limit exceeded; retry after " + result.retryAfterSeconds() + " s");
    this.result = result;
  }

  /**
   * The verifier's result, with the retry-after and the limit.
   *
   * @return the over-limit result
   */
  public RateLimited result() {
    return result;
  }
}
