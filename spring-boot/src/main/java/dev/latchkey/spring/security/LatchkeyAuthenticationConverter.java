package dev.latchkey.spring.security;

import dev.latchkey.RequestContext;
import dev.latchkey.servlet.HeaderCredentials;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Reads a Latchkey token from {@code Authorization: Bearer} and, if configured, an API-key header,
 * by the rules of Latchkey's servlet filter ({@link HeaderCredentials}). No credential: null (the
 * request goes on unauthenticated). Two credentials, repeated headers or an oversized header: an
 * {@code invalid_token} error, without looking further.
 */
public final class LatchkeyAuthenticationConverter implements AuthenticationConverter {
  private final HeaderCredentials headers;

  /**
   * A converter that reads credentials by the given rules.
   *
   * @param headers which headers to read and their length cap
   */
  public LatchkeyAuthenticationConverter(HeaderCredentials headers) {
    this.headers = headers;
  }

  /**
   * Bearer only, no API-key header, the servlet filter's header cap.
   *
   * @return a converter of {@code Authorization: Bearer} tokens
   */
  public static LatchkeyAuthenticationConverter bearer() {
    return new LatchkeyAuthenticationConverter(new HeaderCredentials(true, null, 8192));
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
  public Authentication convert(HttpServletRequest request) {
    return LatchkeyCredentials.read(headers, values(request, HeaderCredentials.AUTHORIZATION),
        headers.apiKeyHeader() == null ? null : values(request, headers.apiKeyHeader()), clientContext(request));
  }

  /**
   * The peer address as the container reports it: behind a proxy, the container's or Spring's
   * forwarded-header handling ({@code server.forward-headers-strategy}) decides what that is, for
   * every Spring servlet path alike. A literal, so nothing is resolved.
   */
  static RequestContext clientContext(HttpServletRequest request) {
    return RequestContext.fromAddress(request.getRemoteAddr());
  }

  /**
   * Requests that carry something in a credential header this converter reads.
   *
   * @return a matcher of requests with a credential header, valid or not
   */
  public RequestMatcher credentialMatcher() {
    return request -> LatchkeyCredentials.present(headers, values(request, HeaderCredentials.AUTHORIZATION),
        headers.apiKeyHeader() == null ? null : values(request, headers.apiKeyHeader()));
  }

  private static List<String> values(HttpServletRequest request, String name) {
    var e = request.getHeaders(name);
    return e == null || !e.hasMoreElements() ? null : Collections.list(e);
  }
}
