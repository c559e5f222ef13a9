package dev.latchkey.spring.security.reactive;

import dev.latchkey.RequestContext;
import dev.latchkey.TokenVerifier;
import dev.latchkey.servlet.HeaderCredentials;
import dev.latchkey.spring.security.LatchkeyAuthentication;
import dev.latchkey.spring.security.LatchkeyAuthorities;
import dev.latchkey.spring.security.LatchkeyOpaqueTokenIntrospector.VerifiedPrincipal;
import dev.latchkey.spring.security.LatchkeyTokenRequest;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Latchkey as a {@link ReactiveOpaqueTokenIntrospector}: the WebFlux twin of {@code
 * LatchkeyOpaqueTokenIntrospector}, for an application on {@code oauth2ResourceServer(o ->
 * o.opaqueToken(...))}. It verifies through {@link LatchkeyReactiveAuthenticationManager}, so a
 * cached answer stays on the calling event-loop thread and a store read runs on the bounded elastic
 * scheduler, and its principal is a {@link VerifiedPrincipal}.
 *
 * <pre>{@code
 * @Bean
 * ReactiveOpaqueTokenIntrospector introspector(Latchkey latchkey) {
 *   return new LatchkeyReactiveOpaqueTokenIntrospector(latchkey.verifier(), LatchkeyAuthorities.defaults());
 * }
 * }</pre>
 *
 * <p><b>Client address.</b> It takes the peer address (as {@link LatchkeyServerAuthenticationConverter}
 * does) from the exchange that Spring Security's {@code ServerHttpSecurity} chain puts in the Reactor
 * context; called without one, it verifies without an address and a token with an allow-list is
 * rejected (fail closed).
 *
 * <p><b>Rate limits.</b> An over-limit token is a {@code LatchkeyRateLimitedException}; set {@link
 * LatchkeyServerAuthenticationEntryPoint} as the resource server's entry point to answer it with
 * 429 and the rate-limit headers (with Spring Security's stock entry point it is a 401).
 */
public final class LatchkeyReactiveOpaqueTokenIntrospector implements ReactiveOpaqueTokenIntrospector {
  private final LatchkeyReactiveAuthenticationManager manager;

  /**
   * An introspector that verifies with {@code verifier}, cache misses on the bounded elastic scheduler.
   *
   * @param verifier usually {@code latchkey.verifier()}
   * @param authorities maps a verified token to its authorities
   */
  public LatchkeyReactiveOpaqueTokenIntrospector(TokenVerifier verifier, LatchkeyAuthorities authorities) {
    this(new LatchkeyReactiveAuthenticationManager(verifier, authorities));
  }

  /**
   * An introspector that verifies through {@code manager}.
   *
   * @param manager verifies the token; its scheduler runs the verifications that read the store
   */
  public LatchkeyReactiveOpaqueTokenIntrospector(LatchkeyReactiveAuthenticationManager manager) {
    this.manager = manager;
  }

  @Override
  public Mono<OAuth2AuthenticatedPrincipal> introspect(String token) {
    return Mono.deferContextual(reactorContext -> {
      RequestContext context = reactorContext.<ServerWebExchange>getOrEmpty(ServerWebExchange.class)
          .map(LatchkeyServerAuthenticationConverter::clientContext)
          .orElse(RequestContext.NONE);
      return manager.authenticate(
          new LatchkeyTokenRequest(token, HeaderCredentials.Source.AUTHORIZATION_BEARER, context));
    }).map(authentication -> {
      LatchkeyAuthentication verified = (LatchkeyAuthentication) authentication;
      return new VerifiedPrincipal(verified.verified(), List.copyOf(verified.getAuthorities()));
    });
  }
}
