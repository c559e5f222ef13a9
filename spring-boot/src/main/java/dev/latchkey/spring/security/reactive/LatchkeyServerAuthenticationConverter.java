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

  /**
   * A converter that reads credentials by the given rules.
   *
   * @param headers which headers to read and their length cap
   */
  public LatchkeyServerAuthenticationConverter(HeaderCredentials headers) {
    this.headers = headers;
  }

  /**
   * The rules this converter reads credentials by.
   *
   * @return the headers read and their cap
   */
  public HeaderCredentials headers() {
    return headers;
  }

  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    HttpHeaders h = exchange.getRequest().getHeaders();
    HeaderCredentials.Extraction e = headers.read(h.get(HeaderCredentials.AUTHORIZATION),
        headers.apiKeyHeader() == null ? null : h.get(headers.apiKeyHeader()));
    if (e instanceof HeaderCredentials.Credential c) {
      return Mono.just(new LatchkeyTokenRequest(c.token(), c.source(), clientContext(exchange)));
    }
    if (e == HeaderCredentials.Problem.MISSING) {
      return Mono.empty();
    }
    return Mono.error(new InvalidBearerTokenException(INVALID));
  }

  /**
   * The peer address as the server saw it (behind a proxy, Spring's forwarded-header handling decides
   * what that is); its numeric form only, so nothing is resolved.
   */
  static dev.latchkey.RequestContext clientContext(ServerWebExchange exchange) {
    java.net.InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
    java.net.InetAddress address = remote == null ? null : remote.getAddress();
    return address == null ? dev.latchkey.RequestContext.NONE
        : dev.latchkey.RequestContext.fromAddress(address.getHostAddress());
  }
}
