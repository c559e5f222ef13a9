package dev.latchkey.web;

import dev.latchkey.ConfigurationException;
import dev.latchkey.Latchkey;
import jakarta.servlet.http.HttpServlet;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The management HTTP API and the web console, as one servlet to mount in any Jakarta Servlet 6
 * container:
 *
 * <pre>{@code
 * HttpServlet web = LatchkeyWeb.builder(latchkey)
 *     .actorResolver(ActorResolver.userPrincipal(p -> Optional.of(Actor.principal(PrincipalRef.user("acme", p.getName()))))
 *         .or(ActorResolver.bearerToken(latchkey.verifier())))
 *     .build();
 * servletContext.addServlet("latchkey", web).addMapping("/latchkey/*");
 * }</pre>
 *
 * The console is then at {@code /latchkey/} and the API at {@code /latchkey/api/v1/} (its OpenAPI
 * document at {@code /latchkey/api/v1/openapi.json}). Every request needs a caller the resolver
 * recognises; what the caller may do is the {@link dev.latchkey.AccessPolicy}'s decision, as for
 * any {@link dev.latchkey.TokenManager} call. The servlet needs HTTP sessions for session callers
 * (their CSRF token lives there).
 */
public final class LatchkeyWeb {
  private LatchkeyWeb() {}

  public static Builder builder(Latchkey latchkey) {
    return new Builder(Objects.requireNonNull(latchkey, "latchkey"));
  }

  /** Configures the servlet; {@link #actorResolver} is required. */
  public static final class Builder {
    private final Latchkey latchkey;
    private @Nullable ActorResolver resolver;
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private boolean console = true;
    private Clock clock = Clock.systemUTC();
    private @Nullable SecureRandom random;

    private Builder(Latchkey latchkey) {
      this.latchkey = latchkey;
    }

    /** Who is calling; required. See {@link ActorResolver#userPrincipal} and {@link ActorResolver#bearerToken}. */
    public Builder actorResolver(ActorResolver resolver) {
      this.resolver = notNull("actorResolver", resolver);
      return this;
    }

    /**
     * Another origin whose pages may send unsafe requests for session callers, besides the server's
     * own (as the request reached the servlet). Needed when a proxy changes the scheme, host or port
     * without the container knowing. Exactly as browsers send it: {@code https://admin.example.com}.
     */
    public Builder allowedOrigin(String origin) {
      allowedOrigins.add(Csrf.checkOrigin(notNull("origin", origin)));
      return this;
    }

    /** Whether to serve the console pages as well as the API; default true. */
    public Builder console(boolean enabled) {
      this.console = enabled;
      return this;
    }

    /**
     * The clock that tells a token's status ({@code expired}) and the start of the expiring-tokens
     * window; default {@link Clock#systemUTC()}. Give it the clock you gave Latchkey.
     */
    public Builder clock(Clock clock) {
      this.clock = notNull("clock", clock);
      return this;
    }

    /** The source of CSRF tokens; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = notNull("random", random);
      return this;
    }

    /** The servlet; map it to a path prefix such as {@code /latchkey/*}. */
    public HttpServlet build() {
      if (resolver == null) {
        throw new ConfigurationException("an ActorResolver is required: there is no anonymous access;"
            + " e.g. ActorResolver.userPrincipal(mapping) or ActorResolver.bearerToken(latchkey.verifier())");
      }
      Csrf csrf = new Csrf(allowedOrigins, random != null ? random : new SecureRandom());
      ManagementApi api = new ManagementApi(latchkey.manager(), clock, csrf, Console.read("/dev/latchkey/web/openapi.json"));
      return new ManagementServlet(resolver, api, csrf, console ? new Console() : null);
    }

    private static <T> T notNull(String what, @Nullable T value) {
      if (value == null) {
        throw new ConfigurationException(what + " must not be null");
      }
      return value;
    }
  }
}
