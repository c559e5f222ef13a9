package dev.latchkey.web;

import dev.latchkey.ConfigurationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-site request forgery defence for {@link Caller.Credential#SESSION} callers. An unsafe
 * request (anything but GET) must pass both checks:
 *
 * <ol>
 *   <li><b>Origin.</b> An {@code Origin} header must name this server's own origin (scheme, host,
 *       port as the request reached the servlet) or one of the configured allowed origins; without
 *       {@code Origin}, a {@code Sec-Fetch-Site} header must say {@code same-origin} (or {@code
 *       none}, a request the user typed). {@code same-site} is refused: a sibling subdomain is
 *       another party.
 *   <li><b>Token.</b> The {@value #HEADER} header must equal the token kept in the caller's HTTP
 *       session, which {@code GET api/v1/session} creates and returns. A page of another origin
 *       cannot read it, and cannot send a custom header without a CORS preflight this API never
 *       grants.
 * </ol>
 *
 * Either alone stops a classic forged form; both together also cover browsers that send no {@code
 * Origin} and hosts that are reached under several names.
 */
final class Csrf {
  static final String HEADER = "X-CSRF-Token";
  static final String SESSION_ATTRIBUTE = "dev.latchkey.web.csrf-token";

  private final Set<String> allowedOrigins;
  private final SecureRandom random;

  Csrf(Set<String> allowedOrigins, SecureRandom random) {
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.random = random;
  }

  /**
   * The session's CSRF token, created (with the session) on first use; empty if the host application
   * has no HTTP sessions, in which case session callers cannot make unsafe requests.
   */
  Optional<String> token(HttpServletRequest request) {
    HttpSession session;
    try {
      session = request.getSession(true);
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
    Object existing = session.getAttribute(SESSION_ATTRIBUTE);
    if (existing instanceof String s) {
      return Optional.of(s);
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    session.setAttribute(SESSION_ATTRIBUTE, token);
    return Optional.of(token);
  }

  void check(HttpServletRequest request) {
    List<String> origins = Collections.list(request.getHeaders("Origin"));
    if (origins.size() > 1) {
      throw refused("the request has more than one Origin header");
    }
    if (origins.size() == 1) {
      String origin = origins.get(0);
      if (!allowedOrigins.contains(origin) && !isOwnOrigin(origin, request)) {
        throw refused("the request came from another origin (" + Body.shorten(origin) + "); "
            + "only pages of this server" + (allowedOrigins.isEmpty() ? "" : " and the allowed origins")
            + " may change anything");
      }
    } else {
      String site = request.getHeader("Sec-Fetch-Site");
      if (site != null && !site.equals("same-origin") && !site.equals("none")) {
        throw refused("the browser says the request came from another site (Sec-Fetch-Site: "
            + Body.shorten(site) + ")");
      }
    }
    HttpSession session = request.getSession(false);
    Object expected = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
    String presented = request.getHeader(HEADER);
    if (!(expected instanceof String e) || presented == null
        || !MessageDigest.isEqual(e.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8))) {
      throw refused("send the " + HEADER + " header with the csrfToken from GET api/v1/session"
          + (presented == null ? "" : "; the token sent is not this session's"));
    }
  }

  private static Problem refused(String detail) {
    return new Problem(Problem.Type.CSRF_REJECTED, detail);
  }

  /** Whether {@code origin} is scheme://host[:port] of the server as this request reached it. */
  static boolean isOwnOrigin(String origin, HttpServletRequest request) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
    return scheme.equalsIgnoreCase(request.getScheme())
        && uri.getHost().equalsIgnoreCase(hostOf(request.getServerName()))
        && port == request.getServerPort();
  }

  /** getServerName may give an IPv6 literal without brackets; URI.getHost keeps them. */
  private static String hostOf(String serverName) {
    return serverName.indexOf(':') >= 0 && !serverName.startsWith("[") ? "[" + serverName + "]" : serverName;
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
  }

  /** Checks an allowed origin given to the builder: scheme://host[:port], nothing else. */
  static String checkOrigin(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      throw new ConfigurationException("allowed origin '" + origin + "' is not a URI");
    }
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null
        || !origin.equals(origin.toLowerCase(Locale.ROOT))) {
      throw new ConfigurationException("allowed origin '" + origin
          + "' must be scheme://host or scheme://host:port in lower case, as browsers send it (no path, no slash)");
    }
    return origin;
  }
}
