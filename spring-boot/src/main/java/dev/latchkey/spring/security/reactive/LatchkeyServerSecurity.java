package dev.latchkey.spring.security.reactive;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import reactor.core.publisher.Mono;

/**
 * Protects a WebFlux {@code SecurityWebFilterChain} with Latchkey tokens, through Spring
 * Security's bearer-token resource server (its RFC 6750 entry point and access-denied handler, its
 * CSRF exemption for token requests), with Latchkey's converter and manager in place of JWT or
 * introspection:
 *
 * <pre>{@code
 * @Bean
 * SecurityWebFilterChain api(ServerHttpSecurity http, LatchkeyServerSecurity latchkey) {
 *   return http.authorizeExchange(e -> e.anyExchange().authenticated())
 *       .oauth2ResourceServer(latchkey.resourceServer())
 *       .build();
 * }
 * }</pre>
 *
 * It is deliberately not itself a {@code Customizer}: Spring Security 7 applies every {@code
 * Customizer<OAuth2ResourceServerSpec>} bean to every {@code ServerHttpSecurity}, which would put
 * Latchkey on chains that did not ask for it and break their own JWT or opaque-token resource
 * server at startup. Only the chains that call {@link #resourceServer()} get it.
 *
 * No session is used: the resource server keeps the authentication for the one exchange. A token
 * over its rate limit gets {@code 429} with {@code Retry-After} and the {@code RateLimit} headers
 * ({@link LatchkeyServerAuthenticationEntryPoint}, set as the resource server's entry point; every
 * other failure gets Spring Security's RFC 6750 answer).
 */
public final class LatchkeyServerSecurity {
  private final LatchkeyServerAuthenticationConverter converter;
  private final LatchkeyReactiveAuthenticationManager manager;

  /**
   * The resource-server customization with Latchkey's converter and manager.
   *
   * @param converter reads the token from an exchange
   * @param manager verifies it
   */
  public LatchkeyServerSecurity(LatchkeyServerAuthenticationConverter converter,
      LatchkeyReactiveAuthenticationManager manager) {
    this.converter = converter;
    this.manager = manager;
  }

  /**
   * The manager that verifies tokens.
   *
   * @return the manager given at construction
   */
  public LatchkeyReactiveAuthenticationManager authenticationManager() {
    return manager;
  }

  /**
   * The resource-server customization, for {@code http.oauth2ResourceServer(...)}: Latchkey's
   * converter and manager, and {@link LatchkeyServerAuthenticationEntryPoint} as the entry point.
   *
   * @return a customizer of the chain's resource server
   */
  public Customizer<ServerHttpSecurity.OAuth2ResourceServerSpec> resourceServer() {
    return this::customize;
  }

  private void customize(ServerHttpSecurity.OAuth2ResourceServerSpec resourceServer) {
    Mono<org.springframework.security.authentication.ReactiveAuthenticationManager> m = Mono.just(manager);
    resourceServer.bearerTokenConverter(converter).authenticationManagerResolver(exchange -> m)
        .authenticationEntryPoint(new LatchkeyServerAuthenticationEntryPoint());
  }
}
