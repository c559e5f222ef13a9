package dev.latchkey.spring.security.reactive;

import dev.latchkey.servlet.RateLimitAnswer;
import dev.latchkey.spring.security.LatchkeyRateLimitedException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.server.BearerTokenServerAuthenticationEntryPoint;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The WebFlux twin of {@code LatchkeyAuthenticationEntryPoint}: a {@link
 * LatchkeyRateLimitedException} is answered with {@code 429}, {@code Retry-After} and the {@code
 * RateLimit}/{@code RateLimit-Policy} headers exactly as Latchkey's servlet filter answers it ({@link
 * RateLimitAnswer}); every other failure goes to the entry point it wraps (by default Spring
 * Security's RFC 6750 {@link BearerTokenServerAuthenticationEntryPoint}). {@link
 * LatchkeyServerSecurity} sets it on the resource server; to replace the 401 answers, wrap your own
 * entry point in one of these and set it after {@code oauth2ResourceServer(latchkey.resourceServer())}.
 */
public final class LatchkeyServerAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {
  private static final byte[] BODY = RateLimitAnswer.BODY.getBytes(StandardCharsets.US_ASCII);
  private static final MediaType CONTENT_TYPE = MediaType.parseMediaType(RateLimitAnswer.CONTENT_TYPE);

  private final ServerAuthenticationEntryPoint delegate;

  /** Over-limit tokens get 429; everything else Spring Security's bearer-token 401. */
  public LatchkeyServerAuthenticationEntryPoint() {
    this(new BearerTokenServerAuthenticationEntryPoint());
  }

  /**
   * Over-limit tokens get 429; everything else {@code delegate}'s answer.
   *
   * @param delegate answers every failure that is not an over-limit token
   */
  public LatchkeyServerAuthenticationEntryPoint(ServerAuthenticationEntryPoint delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
    if (!(e instanceof LatchkeyRateLimitedException limited)) {
      return delegate.commence(exchange, e);
    }
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(HttpStatusCode.valueOf(RateLimitAnswer.STATUS));
    HttpHeaders headers = response.getHeaders();
    RateLimitAnswer.headers(limited.result()).forEach(headers::set);
    headers.setContentType(CONTENT_TYPE);
    headers.setContentLength(BODY.length);
    return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(BODY)));
  }
}
