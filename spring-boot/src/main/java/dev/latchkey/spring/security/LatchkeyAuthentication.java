package dev.latchkey.spring.security;

import dev.latchkey.Verified;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * A request authenticated by a Latchkey token. Its principal is the {@link Verified} result
 * ({@code @AuthenticationPrincipal Verified who}); its name is the principal's path ({@code
 * acme/sa/ci_bot}); its authorities come from {@link LatchkeyAuthorities}.
 *
 * <p>It is an OAuth2 token authentication so that Spring Security's bearer-token handlers treat it
 * as one (a 403 carries {@code error="insufficient_scope"}). It does not keep the presented
 * secret: {@link #getToken()}'s value is the token's public lookup id, and {@link #getCredentials()}
 * is null.
 */
public final class LatchkeyAuthentication extends AbstractOAuth2TokenAuthenticationToken<OAuth2AccessToken> {
  private static final long serialVersionUID = 1L;

  private final transient Verified verified;

  public LatchkeyAuthentication(Verified verified, Collection<? extends GrantedAuthority> authorities) {
    super(accessToken(verified), verified, null, authorities);
    this.verified = verified;
    setAuthenticated(true);
  }

  private static OAuth2AccessToken accessToken(Verified verified) {
    return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, verified.lookupId(), null, verified.expiresAt());
  }

  public Verified verified() {
    return verified;
  }

  @Override
  public String getName() {
    return verified.principal().toString();
  }

  /** The principal, its scope and the token's identifiers; nothing secret. */
  @Override
  public Map<String, Object> getTokenAttributes() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("sub", verified.principal().toString());
    attributes.put("scope", verified.scope().toString());
    attributes.put("token", verified.token().toString());
    attributes.put("lookup_id", verified.lookupId());
    Instant expiresAt = verified.expiresAt();
    if (expiresAt != null) {
      attributes.put("exp", expiresAt);
    }
    return attributes;
  }

  @Override
  public String toString() {
    return "LatchkeyAuthentication[principal=" + verified.principal() + ", token=" + verified.token()
        + ", authorities=" + getAuthorities() + "]";
  }
}
