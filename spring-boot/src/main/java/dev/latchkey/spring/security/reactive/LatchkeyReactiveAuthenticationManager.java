package dev.latchkey.spring.security.reactive;

import dev.latchkey.RateLimited;
import dev.latchkey.Rejected;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.spring.security.LatchkeyAuthentication;
import dev.latchkey.spring.security.LatchkeyAuthorities;
import dev.latchkey.spring.security.LatchkeyRateLimitedException;
import dev.latchkey.spring.security.LatchkeyTokenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Verifies a {@link LatchkeyTokenRequest} without ever blocking the calling thread: a token whose
 * answer is in Latchkey's cache is verified right there ({@link TokenVerifier#verifyCached}, no
 * store, no lock waits, no thread hop); any other (a cache miss reads the store, which for JDBC
 * blocks) is verified on a bounded elastic scheduler. Every rejection is the same {@code
 * invalid_token} error; a valid token over its rate limit is a {@link LatchkeyRateLimitedException}
 * ({@code 429} through {@link LatchkeyServerAuthenticationEntryPoint}).
 */
public final class LatchkeyReactiveAuthenticationManager implements ReactiveAuthenticationManager {
  private static final Logger log = LoggerFactory.getLogger(LatchkeyReactiveAuthenticationManager.class);

  private final TokenVerifier verifier;
  private final LatchkeyAuthorities authorities;
  private final Scheduler blocking;

  /**
   * A manager that verifies cache misses on {@link Schedulers#boundedElastic()}.
   *
   * @param verifier usually {@code latchkey.verifier()}
   * @param authorities maps a verified token to its authorities
   */
  public LatchkeyReactiveAuthenticationManager(TokenVerifier verifier, LatchkeyAuthorities authorities) {
    this(verifier, authorities, Schedulers.boundedElastic());
  }

  /**
   * A manager that verifies cache misses on {@code blocking}.
   *
   * @param verifier usually {@code latchkey.verifier()}
   * @param authorities maps a verified token to its authorities
   * @param blocking where verifications that need the store run; it must allow blocking
   */
  public LatchkeyReactiveAuthenticationManager(TokenVerifier verifier, LatchkeyAuthorities authorities,
      Scheduler blocking) {
    this.verifier = verifier;
    this.authorities = authorities;
    this.blocking = blocking;
  }

  @Override
  public Mono<Authentication> authenticate(Authentication authentication) {
    if (!(authentication instanceof LatchkeyTokenRequest request)) {
      return Mono.empty();
    }
    return Mono.defer(() -> {
      String token = request.token();
      dev.latchkey.RequestContext context = request.context();
      VerificationResult cached = verifier.verifyCached(token, context);
      if (cached != null) {
        request.eraseCredentials();
        return result(cached);
      }
      return Mono.fromCallable(() -> verifier.verify(token, context))
          .subscribeOn(blocking)
          .doFinally(signal -> request.eraseCredentials())
          .flatMap(this::result);
    });
  }

  private Mono<Authentication> result(VerificationResult result) {
    if (result instanceof Verified verified) {
      return Mono.just(new LatchkeyAuthentication(verified, authorities.of(verified)));
    }
    if (result instanceof RateLimited limited) {
      // answered with 429 by LatchkeyServerAuthenticationEntryPoint: the token is fine, the client must wait
      log.debug("token {} is over its {} rate limit", limited.token(), limited.limitedBy());
      return Mono.error(new LatchkeyRateLimitedException(limited));
    }
    if (log.isDebugEnabled()) {
      log.debug("token rejected: {}", result instanceof Rejected r ? r.reason() : result);
    }
    return Mono.error(new InvalidBearerTokenException(LatchkeyServerAuthenticationConverter.INVALID));
  }
}
