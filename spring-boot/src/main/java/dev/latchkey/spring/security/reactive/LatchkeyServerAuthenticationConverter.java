package dev.latchkey.spring.security.reactive;

import dev.latchkey.servlet.HeaderCredentials;
import dev.latchkey.spring.security.LatchkeyTokenRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The reactive twin of {@code LatchkeyAuthenticationConverter}: the same header rules ({@link
 * HeaderCredentials}), empty for a request without a credential, an {@code invalid_token} error
 * for an ambiguous or oversized one. Runs on the calling thread; it only reads headers.
 */
public final class LatchkeyServerAuthenticationConverter implements ServerAuthenticationConverter {
  static final String INVALID = "The access token is invalid";

  private final HeaderCredentials headers;

  public LatchkeyServerAuthenticationConverter(HeaderCredentials headers) {
    this.headers = headers;
  }

  public HeaderCredentials headers() {
    return headers;
  }

  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    HttpHeaders h = exchange.getRequest().getHeaders();
    HeaderCredentials.Extraction e = headers.read(h.get(HeaderCredentials.AUTHORIZATION),
        headers.apiKeyHeader() == null ? null : h.get(headers.apiKeyHeader()));
    if (e instanceof HeaderCredentials.Credential c) {
      return Mono.just(new LatchkeyTokenRequest(c.token(), c.source()));
    }
    if (e == HeaderCredentials.Problem.MISSING) {
      return Mono.empty();
    }
    return Mono.error(new InvalidBearerTokenException(INVALID));
  }
}
