package dev.latchkey.spring.security;

import dev.latchkey.RateLimited;
import dev.latchkey.Rejected;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Verifies a {@link LatchkeyTokenRequest} with Latchkey: a {@link LatchkeyAuthentication} for a
 * valid token, an {@code invalid_token} error for every rejection (unknown, expired, revoked, bad
 * secret, store failure alike; the reason goes to the DEBUG log only, never the token), and a {@link
 * LatchkeyRateLimitedException} for a valid token over its rate limit.
 */
public final class LatchkeyAuthenticationProvider implements AuthenticationProvider {
  private static final Logger log = LoggerFactory.getLogger(LatchkeyAuthenticationProvider.class);

  private final TokenVerifier verifier;
  private final LatchkeyAuthorities authorities;

  /**
   * A provider that verifies tokens with {@code verifier}.
   *
   * @param verifier usually {@code latchkey.verifier()}
   * @param authorities maps a verified token to its authorities
   */
  public LatchkeyAuthenticationProvider(TokenVerifier verifier, LatchkeyAuthorities authorities) {
    this.verifier = verifier;
    this.authorities = authorities;
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    if (!(authentication instanceof LatchkeyTokenRequest request)) {
      return null;
    }
    VerificationResult result;
    try {
      result = verifier.verify(request.token(), request.context());
    } catch (RuntimeException e) {
      // TokenVerifier never throws; a custom one might. Fail closed; its message could quote the token.
      log.warn("token verifier threw {}; rejecting the request", e.getClass().getName());
      throw LatchkeyCredentials.invalid();
    } finally {
      request.eraseCredentials();
    }
    return authentication(result, authorities);
  }

  static LatchkeyAuthentication authentication(VerificationResult result, LatchkeyAuthorities authorities) {
    if (result instanceof Verified verified) {
      return new LatchkeyAuthentication(verified, authorities.of(verified));
    }
    if (result instanceof RateLimited limited) {
      log.debug("token {} is over its {} rate limit", limited.token(), limited.limitedBy());
      throw new LatchkeyRateLimitedException(limited);
    }
    if (log.isDebugEnabled()) {
      log.debug("token rejected: {}", result instanceof Rejected r ? r.reason() : result);
    }
    throw LatchkeyCredentials.invalid();
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return LatchkeyTokenRequest.class.isAssignableFrom(authentication);
  }
}
