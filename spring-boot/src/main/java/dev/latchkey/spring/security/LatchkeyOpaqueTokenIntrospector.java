package dev.latchkey.spring.security;

import dev.latchkey.Rejected;
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
 */
public final class LatchkeyOpaqueTokenIntrospector implements OpaqueTokenIntrospector {
  private static final Logger log = LoggerFactory.getLogger(LatchkeyOpaqueTokenIntrospector.class);

  private final TokenVerifier verifier;
  private final LatchkeyAuthorities authorities;

  public LatchkeyOpaqueTokenIntrospector(TokenVerifier verifier, LatchkeyAuthorities authorities) {
    this.verifier = verifier;
    this.authorities = authorities;
  }

  @Override
  public OAuth2AuthenticatedPrincipal introspect(String token) {
    VerificationResult result = verifier.verify(token);
    if (result instanceof Verified verified) {
      return new VerifiedPrincipal(verified, authorities.of(verified));
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
