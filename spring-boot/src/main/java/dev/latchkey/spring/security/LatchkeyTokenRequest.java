package dev.latchkey.spring.security;

import dev.latchkey.RequestContext;
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

  /** The header the token came from (a serializable field, so javadoc's serialized form shows it). */
  private final HeaderCredentials.Source source;
  private transient String token;
  /** The client address the request came from, for allow-lists (not serialized: a request is short-lived). */
  private final transient RequestContext context;

  /**
   * A token read from a request, not yet verified.
   *
   * @param token the token as sent
   * @param source the header it came from
   */
  public LatchkeyTokenRequest(String token, HeaderCredentials.Source source) {
    this(token, source, RequestContext.NONE);
  }

  /**
   * A token read from a request, not yet verified, with what the verifier may know of the request.
   *
   * @param token the token as sent
   * @param source the header it came from
   * @param context the client address the request came from ({@link RequestContext#NONE} if unknown:
   *     a token with an address allow-list is then rejected)
   */
  public LatchkeyTokenRequest(String token, HeaderCredentials.Source source, RequestContext context) {
    super(List.of());
    this.token = token;
    this.source = source;
    this.context = context == null ? RequestContext.NONE : context;
    setAuthenticated(false);
  }

  /**
   * What the verifier may know of the request: its client address.
   *
   * @return the request context; {@link RequestContext#NONE} when the address is unknown
   */
  public RequestContext context() {
    return context == null ? RequestContext.NONE : context;
  }

  /**
   * The presented token.
   *
   * @return the token, unchanged; null once erased
   */
  public String token() {
    return token;
  }

  /**
   * Where the token was found.
   *
   * @return the header it came from
   */
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
