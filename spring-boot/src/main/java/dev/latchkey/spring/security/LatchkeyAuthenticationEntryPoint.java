package dev.latchkey.spring.security;

import dev.latchkey.servlet.RateLimitResponse;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a {@link LatchkeyRateLimitedException} with {@code 429}, {@code Retry-After} and the
 * {@code RateLimit}/{@code RateLimit-Policy} headers, as Latchkey's servlet filter does ({@link
 * RateLimitResponse}); every other failure goes to the entry point it wraps (by default Spring
 * Security's RFC 6750 {@link BearerTokenAuthenticationEntryPoint}).
 *
 * <p>It is what an application on {@code oauth2ResourceServer(o -> o.opaqueToken(...))} with a
 * {@link LatchkeyOpaqueTokenIntrospector} sets so that an over-limit token gets 429 rather than the
 * stock 401 (an introspector can only throw; the resource server's filter hands every failure to
 * its entry point):
 *
 * <pre>{@code
 * http.oauth2ResourceServer(o -> o.opaqueToken(Customizer.withDefaults())
 *     .authenticationEntryPoint(new LatchkeyAuthenticationEntryPoint()))
 * }</pre>
 *
 * {@link LatchkeyConfigurer} answers over-limit tokens this way by itself.
 */
public final class LatchkeyAuthenticationEntryPoint implements AuthenticationEntryPoint {
  private final AuthenticationEntryPoint delegate;

  /** Over-limit tokens get 429; everything else Spring Security's bearer-token 401. */
  public LatchkeyAuthenticationEntryPoint() {
    this(new BearerTokenAuthenticationEntryPoint());
  }

  /**
   * Over-limit tokens get 429; everything else {@code delegate}'s answer.
   *
   * @param delegate answers every failure that is not an over-limit token
   */
  public LatchkeyAuthenticationEntryPoint(AuthenticationEntryPoint delegate) {
    this.delegate = delegate;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException, ServletException {
    if (e instanceof LatchkeyRateLimitedException limited) {
      RateLimitResponse.send(response, limited.result()); // the token is fine, the client must wait
    } else {
      delegate.commence(request, response, e);
    }
  }
}
