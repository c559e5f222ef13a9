package dev.latchkey.spring.security;

import dev.latchkey.servlet.HeaderCredentials;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A presented Latchkey token, not yet verified: what the converters produce and the providers
 * verify. It holds the token only until it is verified ({@link #eraseCredentials()}), and no {@code
 * toString} shows it.
 */
public final class LatchkeyTokenRequest extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  private final HeaderCredentials.Source source;
  private transient String token;

  public LatchkeyTokenRequest(String token, HeaderCredentials.Source source) {
    super(List.of());
    this.token = token;
    this.source = source;
    setAuthenticated(false);
  }

  /** The presented token, unchanged; null once erased. */
  public String token() {
    return token;
  }

  public HeaderCredentials.Source source() {
    return source;
  }

  @Override
  public Object getCredentials() {
    return token;
  }

  @Override
  public Object getPrincipal() {
    return "latchkey token (" + source + ")";
  }

  @Override
  public void eraseCredentials() {
    token = null;
    super.eraseCredentials();
  }

  @Override
  public String toString() {
    return "LatchkeyTokenRequest[" + source + ", redacted]";
  }
}
