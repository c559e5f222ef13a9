package dev.latchkey.servlet;

import dev.latchkey.ConfigurationException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IpRange;
import dev.latchkey.Principal;
import dev.latchkey.RateLimited;
import dev.latchkey.Rejected;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.servlet.HeaderCredentials.Credential;
import dev.latchkey.servlet.HeaderCredentials.Extraction;
import dev.latchkey.servlet.HeaderCredentials.Problem;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every request it filters with a Latchkey token, or answers it itself.
 *
 * <ul>
 *   <li>No credential: {@code 401}, {@code WWW-Authenticate: Bearer}, body {@code
 *       {"error":"unauthorized"}}.
 *   <li>A credential that does not verify, for any reason (malformed, unknown, expired, revoked,
 *       disabled principal, wrong secret, store failure, a client address outside the key's or the
 *       token's allow-list), or an ambiguous request (two {@code
 *       Authorization} headers, a bearer token and an API-key header together, an over-long header):
 *       {@code 401}, {@code WWW-Authenticate: Bearer error="invalid_token"}, body {@code
 *       {"error":"invalid_token"}} — identical bytes every time.
 *   <li>A valid token whose principal lacks a permission that a configured path prefix requires:
 *       {@code 403}, {@code WWW-Authenticate: Bearer error="insufficient_scope"}, body {@code
 *       {"error":"insufficient_scope"}}.
 *   <li>A valid token over its own or its API key's rate limit ({@link RateLimited}): {@code 429},
 *       {@code Retry-After}, and the IETF draft's {@code RateLimit} and {@code RateLimit-Policy}
 *       headers, body {@code {"error":"rate_limited"}}. Checked before the permission rules: the
 *       request counted against the limit either way.
 *   <li>Otherwise the request goes on, authenticated: see {@link LatchkeyRequest}.
 * </ul>
 *
 * Every answer carries {@code Cache-Control: no-store}. The reason for a rejection is logged at
 * DEBUG; the token and the header value never are.
 *
 * <p>The client address checked against allow-lists is the connection's peer address; one
 * forwarding header ({@code X-Forwarded-For}, or {@code Forwarded} when configured) is believed
 * only from configured trusted proxies (default: none), see {@link Builder#trustedProxies} and
 * {@link Builder#forwardingHeader}.
 *
 * <p>Two ways to configure it: {@link #builder(TokenVerifier)} for programmatic registration, or
 * the public no-argument constructor plus init-params ({@code PARAM_*}) for {@code web.xml}, where
 * the verifier is read from the servlet-context attribute {@link #VERIFIER_ATTRIBUTE}. Either way the
 * configuration is validated at once and never changes afterwards. The filter does not own the
 * verifier: closing the {@link dev.latchkey.Latchkey} is the application's job.
 */
public final class LatchkeyFilter implements Filter {
  private static final Logger log = LoggerFactory.getLogger(LatchkeyFilter.class);

  /**
   * The servlet-context attribute a {@code web.xml}-declared filter reads its verifier from: a
   * {@link TokenVerifier} or a {@link dev.latchkey.Latchkey}. Set it before filters start, e.g. in a
   * {@code ServletContextListener}.
   */
  public static final String VERIFIER_ATTRIBUTE = "dev.latchkey.TokenVerifier";

  /** Init-param: another servlet-context attribute name to read the verifier from. */
  public static final String PARAM_VERIFIER_ATTRIBUTE = "verifier-attribute";
  /** Init-param: {@code true} (default) or {@code false}: read {@code Authorization: Bearer}. */
  public static final String PARAM_BEARER = "bearer";
  /** Init-param: the name of a header that carries the bare token, e.g. {@code X-Api-Key}; default none. */
  public static final String PARAM_API_KEY_HEADER = "api-key-header";
  /** Init-param: the realm of the {@code WWW-Authenticate} challenge; default none. */
  public static final String PARAM_REALM = "realm";
  /** Init-param: the longest credential header accepted, in characters; default {@value #DEFAULT_MAX_HEADER_LENGTH}. */
  public static final String PARAM_MAX_HEADER_LENGTH = "max-header-length";
  /**
   * Init-param: required permissions, as {@code <path prefix>=<permission>} entries separated by
   * commas or whitespace (line breaks included), e.g. {@code /admin=admin, /deploy=deploy}.
   */
  public static final String PARAM_REQUIRED_PERMISSIONS = "required-permissions";
  /**
   * Init-param: the proxies whose forwarding headers are believed, as CIDR ranges or addresses
   * separated by commas or whitespace, e.g. {@code 10.0.0.0/8, 2001:db8::/32}; default none.
   */
  public static final String PARAM_TRUSTED_PROXIES = "trusted-proxies";
  /** Init-param: the header the trusted proxies write, {@code X-Forwarded-For} (default) or {@code Forwarded}. */
  public static final String PARAM_FORWARDING_HEADER = "forwarding-header";

  /** The credential-header cap when none is configured, in characters. */
  public static final int DEFAULT_MAX_HEADER_LENGTH = 8192;
  /** Room for the longest token ({@code Bearer } plus 94 characters) with some spaces to spare. */
  public static final int MIN_MAX_HEADER_LENGTH = 128;
  /** The largest credential-header cap that can be configured, in characters. */
  public static final int MAX_MAX_HEADER_LENGTH = 65536;

  private final boolean programmatic;
  private volatile FilterSettings settings;

  /**
   * For {@code web.xml} and other by-class registration: the container calls {@link
   * #init(FilterConfig)}, which reads the init-params and the verifier. Use {@link
   * #builder(TokenVerifier)} when registering an instance yourself.
   */
  public LatchkeyFilter() {
    this.programmatic = false;
  }

  private LatchkeyFilter(FilterSettings settings) {
    this.programmatic = true;
    this.settings = settings;
  }

  /**
   * Starts a programmatic configuration around {@code verifier} (usually {@code latchkey.verifier()}).
   *
   * @param verifier verifies the request's token
   * @return a builder with the defaults: bearer tokens only, no realm, no required permissions
   */
  public static Builder builder(TokenVerifier verifier) {
    return new Builder(verifier);
  }

  /**
   * Reads the init-params and the verifier for a filter built with the no-argument constructor. A
   * filter made by {@link #builder} is already configured and refuses init-params, so that they are
   * never silently ignored.
   *
   * @throws ConfigurationException if an init-param is unknown or invalid, or the verifier is missing
   */
  @Override
  public void init(FilterConfig config) {
    if (programmatic) {
      if (config != null && config.getInitParameterNames() != null
          && config.getInitParameterNames().hasMoreElements()) {
        throw new ConfigurationException("filter '" + config.getFilterName()
            + "' was configured with LatchkeyFilter.builder(...), so it takes no init-params (found "
            + Collections.list(config.getInitParameterNames())
            + "); configure it in the builder, or register the class instead of an instance");
      }
      return;
    }
    if (config == null) {
      throw new ConfigurationException("init(FilterConfig) needs the container's FilterConfig");
    }
    settings = InitParams.parse(config);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    FilterSettings s = settings;
    if (s == null) {
      throw new ServletException("LatchkeyFilter is not initialised: the container must call init(FilterConfig)");
    }
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      throw new ServletException("LatchkeyFilter handles HTTP requests only");
    }

    Extraction extraction = s.reader().read(request);
    if (extraction instanceof Problem problem) {
      log.debug("request rejected: {}", problem);
      if (problem == Problem.MISSING) {
        s.responses().missing(response);
      } else {
        s.responses().invalid(response);
      }
      return;
    }
    Credential credential = (Credential) extraction;

    VerificationResult result;
    try {
      result = s.verifier().verify(credential.token(), s.clientAddress().of(request));
    } catch (RuntimeException e) {
      // The TokenVerifier contract says it never throws; a custom one might. Fail closed, and log
      // only the exception's class: its message could quote the token.
      log.warn("token verifier threw {}; rejecting the request", e.getClass().getName());
      result = null;
    }
    if (result instanceof RateLimited limited) {
      log.debug("request refused: token {} is over its {} rate limit", limited.token(), limited.limitedBy());
      RateLimitResponse.send(response, limited);
      return;
    }
    if (!(result instanceof Verified verified)) {
      log.debug("request rejected: token from {} is {}", credential.source(),
          result instanceof Rejected r ? r.reason() : "not verifiable");
      s.responses().invalid(response);
      return;
    }

    String missingPermission = s.rules().firstMissing(request, verified);
    if (missingPermission != null) {
      log.debug("request forbidden: principal {} (token {}) lacks permission {}",
          verified.principal(), verified.token(), missingPermission);
      s.responses().forbidden(response);
      return;
    }

    request.setAttribute(LatchkeyRequest.VERIFIED_ATTRIBUTE, verified);
    chain.doFilter(new AuthenticatedRequest(request, verified), response);
  }

  @Override
  public void destroy() {
    // Nothing to release: the verifier belongs to the application.
  }

  /** The configuration, without any secret; {@code unconfigured} before {@link #init}. */
  @Override
  public String toString() {
    FilterSettings s = settings;
    return "LatchkeyFilter[" + (s == null ? "unconfigured" : s.toString()) + "]";
  }

  /**
   * Configures a {@link LatchkeyFilter}. Setters validate at once and throw {@link
   * ConfigurationException} with what to fix. Defaults: read {@code Authorization: Bearer} only, no
   * realm, header cap {@value #DEFAULT_MAX_HEADER_LENGTH} characters, no permission rules.
   */
  public static final class Builder {
    private final TokenVerifier verifier;
    private boolean bearer = true;
    private String apiKeyHeader;
    private String realm;
    private int maxHeaderLength = DEFAULT_MAX_HEADER_LENGTH;
    private final LinkedHashSet<PermissionRules.Rule> rules = new LinkedHashSet<>();
    private final List<IpRange> trustedProxies = new ArrayList<>();
    private boolean rfc7239;

    private Builder(TokenVerifier verifier) {
      if (verifier == null) {
        throw new ConfigurationException("a TokenVerifier is required: LatchkeyFilter.builder(latchkey.verifier())");
      }
      this.verifier = verifier;
    }

    /**
     * Whether to read {@code Authorization: Bearer <token>}; default true.
     *
     * @param enabled false to ignore the {@code Authorization} header
     * @return this builder
     */
    public Builder bearer(boolean enabled) {
      this.bearer = enabled;
      return this;
    }

    /**
     * Also read the token from this header (its whole value, e.g. {@code X-Api-Key: <token>}).
     * Header names are case-insensitive. A request that carries both a bearer token and this header
     * is rejected as ambiguous.
     *
     * @param headerName the header's name, e.g. {@code X-Api-Key}
     * @return this builder
     */
    public Builder apiKeyHeader(String headerName) {
      this.apiKeyHeader = Validation.headerName(headerName);
      return this;
    }

    /**
     * Adds {@code realm="..."} to every {@code WWW-Authenticate} challenge.
     *
     * @param realm printable ASCII, no quotes or backslashes
     * @return this builder
     */
    public Builder realm(String realm) {
      this.realm = Validation.realm(realm);
      return this;
    }

    /**
     * Credential headers longer than this many characters are rejected (401 invalid_token) without
     * calling the verifier; {@value #MIN_MAX_HEADER_LENGTH} to {@value #MAX_MAX_HEADER_LENGTH}.
     * Tokens are under 100 characters; the cap only bounds the work spent on garbage. The
     * container's own request-header limit applies first.
     *
     * @param characters the cap; {@value #DEFAULT_MAX_HEADER_LENGTH} when not set
     * @return this builder
     */
    public Builder maxHeaderLength(int characters) {
      if (characters < MIN_MAX_HEADER_LENGTH || characters > MAX_MAX_HEADER_LENGTH) {
        throw new ConfigurationException("max header length must be " + MIN_MAX_HEADER_LENGTH + " to "
            + MAX_MAX_HEADER_LENGTH + " characters (was " + characters + ")");
      }
      this.maxHeaderLength = characters;
      return this;
    }

    /**
     * Requires {@code permission} for {@code pathPrefix} and everything below it (by whole path
     * segments, in the web application's decoded path, without the context path). Rules add up:
     * every rule covering a path must be satisfied. A principal without it gets 403.
     *
     * @param pathPrefix a path starting with {@code /}
     * @param permission a name a principal can hold ({@link Principal#checkPermissionName}); there
     *     are no wildcards, so {@code "a*"} is refused here rather than refusing every request
     * @return this builder
     */
    public Builder requirePermission(String pathPrefix, String permission) {
      String prefix = Validation.pathPrefix(pathPrefix);
      rules.add(new PermissionRules.Rule(prefix, Validation.permission(prefix, permission)));
      return this;
    }

    /**
     * Believes the forwarding header ({@code X-Forwarded-For} unless {@link #forwardingHeader} says
     * otherwise) when the connection comes from one of these addresses or CIDR ranges (a reverse
     * proxy or load balancer in front of the application); by default none, and the peer address is
     * the client's. At most {@value ClientAddress#MAX_TRUSTED_PROXIES} ranges in all. Host names are
     * refused (never resolved). The client is the nearest forwarded address that is not itself a
     * trusted proxy.
     *
     * @param ranges addresses or CIDR ranges, IPv4 or IPv6, as literal text
     * @return this builder
     * @throws ConfigurationException if a range is not a literal address or CIDR, or there are too many
     */
    public Builder trustedProxies(String... ranges) {
      if (ranges == null) {
        throw new ConfigurationException("trusted proxies: give CIDR ranges or addresses, e.g. 10.0.0.0/8");
      }
      for (String r : ranges) {
        try {
          trustedProxies.add(IpRange.parse(r));
        } catch (InvalidArgumentException e) {
          throw new ConfigurationException("trusted proxies: " + e.getMessage());
        }
      }
      if (trustedProxies.size() > ClientAddress.MAX_TRUSTED_PROXIES) {
        throw new ConfigurationException("at most " + ClientAddress.MAX_TRUSTED_PROXIES + " trusted proxy ranges");
      }
      return this;
    }

    /**
     * Names the one header the trusted proxies write: {@code X-Forwarded-For} (the default) or
     * {@code Forwarded} (RFC 7239). Only that header is read. Name the header your proxy appends to
     * or overwrites: a proxy passes a client's own copy of the other header through untouched, so
     * reading it would let a client claim any address.
     *
     * @param header {@code "X-Forwarded-For"} or {@code "Forwarded"}, in any case
     * @return this builder
     * @throws ConfigurationException for any other name
     */
    public Builder forwardingHeader(String header) {
      if (ClientAddress.X_FORWARDED_FOR.equalsIgnoreCase(header)) {
        rfc7239 = false;
      } else if (ClientAddress.FORWARDED.equalsIgnoreCase(header)) {
        rfc7239 = true;
      } else {
        throw new ConfigurationException("forwarding header: give " + ClientAddress.X_FORWARDED_FOR + " or "
            + ClientAddress.FORWARDED);
      }
      return this;
    }

    /**
     * Checks the configuration and builds the filter.
     *
     * @return a filter to register with the container
     * @throws ConfigurationException if no credential source is enabled
     */
    public LatchkeyFilter build() {
      return new LatchkeyFilter(settings());
    }

    FilterSettings settings() {
      if (!bearer && apiKeyHeader == null) {
        throw new ConfigurationException(
            "no credential source is enabled: keep bearer(true) or set apiKeyHeader(\"X-Api-Key\")");
      }
      List<PermissionRules.Rule> ordered = new ArrayList<>(rules);
      return new FilterSettings(verifier, bearer, apiKeyHeader, realm, maxHeaderLength, new PermissionRules(ordered),
          new ClientAddress(trustedProxies, rfc7239));
    }
  }

  /** Argument checks shared by the builder and the init-param reader. */
  static final class Validation {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private Validation() {}

    static String headerName(String name) {
      if (name == null || name.isEmpty() || name.length() > 256) {
        throw new ConfigurationException("the API-key header name must be 1 to 256 characters, e.g. X-Api-Key");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || TCHAR_SYMBOLS.indexOf(c) >= 0;
        if (!tchar) {
          throw new ConfigurationException("the API-key header name is not a valid HTTP field name "
              + "(letters, digits and !#$%&'*+-.^_`|~ only; offending character at position " + i + ")");
        }
      }
      if (name.equalsIgnoreCase(CredentialReader.AUTHORIZATION)) {
        throw new ConfigurationException(
            "the API-key header cannot be Authorization: that header is read with bearer(true)");
      }
      return name;
    }

    static String realm(String realm) {
      if (realm == null || realm.isEmpty() || realm.length() > 256) {
        throw new ConfigurationException("the realm must be 1 to 256 characters");
      }
      for (int i = 0; i < realm.length(); i++) {
        char c = realm.charAt(i);
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
          throw new ConfigurationException("the realm may contain printable ASCII except \" and \\ "
              + "(offending character at position " + i + ")");
        }
      }
      return realm;
    }

    /** Checks a prefix and returns it without a trailing slash (except {@code /} itself). */
    static String pathPrefix(String prefix) {
      if (prefix == null || prefix.isEmpty() || prefix.charAt(0) != '/') {
        throw new ConfigurationException("a path prefix must start with '/', e.g. /admin");
      }
      if (prefix.length() > 1024) {
        throw new ConfigurationException("a path prefix must be at most 1024 characters");
      }
      for (int i = 0; i < prefix.length(); i++) {
        char c = prefix.charAt(i);
        if (c <= 0x20 || c == 0x7f || "*?#;%\\".indexOf(c) >= 0) {
          throw new ConfigurationException("path prefix '" + printable(prefix) + "' may not contain whitespace,"
              + " control characters or any of * ? # ; % \\ — it is a plain decoded path: '/admin' already"
              + " covers /admin and everything below it");
        }
      }
      if (prefix.contains("//") || (prefix + "/").contains("/./") || (prefix + "/").contains("/../")) {
        throw new ConfigurationException("path prefix '" + printable(prefix)
            + "' must be normalised: no empty, '.' or '..' segments");
      }
      return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** Core's own rule for permission names: a rule for a name no principal can hold would refuse everyone. */
    static String permission(String pathPrefix, String permission) {
      try {
        return Principal.checkPermissionName(permission);
      } catch (InvalidArgumentException e) {
        String wildcard = permission != null && permission.indexOf('*') >= 0
            ? "; permissions match by exact name, there are no wildcards" : "";
        throw new ConfigurationException("the permission required for " + printable(pathPrefix) + " is not a valid"
            + " permission name: " + e.getMessage() + wildcard);
      }
    }

    private static String printable(String s) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < s.length() && i < 64; i++) {
        char c = s.charAt(i);
        sb.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
      return sb.toString();
    }

    static boolean parseBoolean(String param, String value) {
      String v = value.toLowerCase(Locale.ROOT);
      if (v.equals("true")) {
        return true;
      }
      if (v.equals("false")) {
        return false;
      }
      throw new ConfigurationException("init-param " + param + " must be true or false");
    }
  }
}
