package dev.latchkey.servlet;

import dev.latchkey.Verified;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** The request as the application sees it behind the filter: authenticated as the token's principal. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
  /** Servlet 6 §13.3: the role name {@code **} means "any authenticated user". */
  private static final String ANY_AUTHENTICATED_USER = "**";

  private final Verified verified;
  private final LatchkeyPrincipal principal;

  AuthenticatedRequest(HttpServletRequest request, Verified verified) {
    super(request);
    this.verified = verified;
    this.principal = new LatchkeyPrincipal(verified);
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public String getRemoteUser() {
    return principal.getName();
  }

  @Override
  public String getAuthType() {
    return LatchkeyRequest.AUTH_TYPE;
  }

  @Override
  public boolean isUserInRole(String role) {
    return role != null && (ANY_AUTHENTICATED_USER.equals(role) || verified.hasRole(role));
  }
}
