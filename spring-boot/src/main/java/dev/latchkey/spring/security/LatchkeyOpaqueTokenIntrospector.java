package dev.latchkey.spring.security;

import dev.latchkey.RateLimited;
import dev.latchkey.Rejected;
import dev.latchkey.RequestContext;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import java.util.Collection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Latchkey as an {@link OpaqueTokenIntrospector}, for an application already configured with
 * {@code oauth2ResourceServer(o -> o.opaqueToken(...))}: declare one bean and the tokens are
 * verified locally by Latchkey instead of by a call to an introspection endpoint.
 *
 * <pre>{@code
 * @Bean
 * OpaqueTokenIntrospector introspector(Latchkey latchkey) {
 *   return new LatchkeyOpaqueTokenIntrospector(latchkey.verifier(), LatchkeyAuthorities.defaults());
 * }
 * }</pre>
 *
 * Spring Security then makes a {@code BearerTokenAuthentication} whose principal is a {@link
 * VerifiedPrincipal} (with the {@link Verified} result inside). Only the Bearer header is read
 * that way; for the API-key header use {@link LatchkeyConfigurer}.
 *
 * <p><b>Client address.</b> An introspector is given the token only. This one takes the client
 * address from the request Spring has bound to the calling thread ({@link RequestContextHolder}:
 * Spring Boot's {@code RequestContextFilter} binds it before Spring Security's filters run), the
 * same peer address {@link LatchkeyAuthenticationConverter} uses, so a token's address allow-list is
 * checked. With no request bound (no {@code RequestContextFilter} before the security filter, or a
 * call outside a request) the token is verified without an address, and a token with an allow-list
 * is rejected: it fails closed.
 *
 * <p><b>Rate limits.</b> A token over its rate limit is a {@link LatchkeyRateLimitedException}, which
 * the resource server hands to its entry point; set {@link LatchkeyAuthenticationEntryPoint} there to
 * answer it with 429 and the rate-limit headers. With Spring Security's stock entry point it is a
 * 401.
 */
public final class LatchkeyOpaqueTokenIntrospector implements OpaqueTokenIntrospector {
  private static final Logger log = LoggerFactory.getLogger(LatchkeyOpaqueTokenIntrospector.class);

  private final TokenVerifier verifier;
  private final LatchkeyAuthorities authorities;

  /**
   * An introspector that verifies tokens with {@code verifier}.
   *
   * @param verifier usually {@code latchkey.verifier()}
   * @param authorities maps a verified token to its authorities
   */
  public LatchkeyOpaqueTokenIntrospector(TokenVerifier verifier, LatchkeyAuthorities authorities) {
    this.verifier = verifier;
    this.authorities = authorities;
  }

  @Override
  public OAuth2AuthenticatedPrincipal introspect(String token) {
    return principal(verifier.verify(token, currentRequestContext()), authorities);
  }

  /** The client address of the request bound to this thread; none if no servlet request is bound. */
  static RequestContext currentRequestContext() {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    return attributes instanceof ServletRequestAttributes servlet
        ? LatchkeyAuthenticationConverter.clientContext(servlet.getRequest())
        : RequestContext.NONE;
  }

  /** A principal for a valid token; the exceptions the resource server maps to 401 or (with our entry point) 429. */
  static OAuth2AuthenticatedPrincipal principal(VerificationResult result, LatchkeyAuthorities authorities) {
    if (result instanceof Verified verified) {
      return new VerifiedPrincipal(verified, authorities.of(verified));
    }
    if (result instanceof RateLimited limited) {
      log.debug("token {} is over its {} rate limit", limited.token(), limited.limitedBy());
      throw new LatchkeyRateLimitedException(limited);
    }
    if (log.isDebugEnabled()) {
      log.debug("token rejected: {}", result instanceof Rejected r ? r.reason() : result);
    }
    throw new BadOpaqueTokenException(LatchkeyCredentials.INVALID);
  }

  /** A verified token as an OAuth2 principal; its attributes hold nothing secret. */
  public record VerifiedPrincipal(Verified verified, Collection<GrantedAuthority> authorities)
      implements OAuth2AuthenticatedPrincipal {
    @Override
    public Map<String, Object> getAttributes() {
      return Map.of("sub", verified.principal().toString(), "scope", verified.scope().toString(),
          "token", verified.token().toString());
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
      return authorities;
    }

    @Override
    public String getName() {
      return verified.principal().toString();
    }
  }
}
