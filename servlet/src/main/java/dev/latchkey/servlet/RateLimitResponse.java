package dev.latchkey.servlet;

import dev.latchkey.RateLimited;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a {@link RateLimited} token, as {@link LatchkeyFilter} gives it; public so that other
 * integrations (Spring Security's) answer the same way.
 *
 * <p>{@code 429}, {@code Retry-After} (RFC 9110) in whole seconds, and the two fields of the IETF
 * httpapi draft "RateLimit header fields for HTTP", draft-ietf-httpapi-ratelimit-headers-10
 * (September 2025; the field syntax is the same in -08 to -11): {@code RateLimit-Policy:
 * "<policy>";q=<requests>;w=<period in seconds>} and {@code RateLimit: "<policy>";r=0;t=<seconds
 * until a request is available>}, both Structured Field Lists whose item is the policy's name,
 * {@code "token"} or {@code "key"}. The bucket's burst has no parameter in the draft and is not sent.
 * No {@code WWW-Authenticate}: the credential is fine. Body {@value #BODY}.
 */
public final class RateLimitResponse {
  /** The JSON body of every over-limit answer. */
  public static final String BODY = "{\"error\":\"rate_limited\"}";
  private static final byte[] BODY_BYTES = BODY.getBytes(StandardCharsets.US_ASCII);

  private RateLimitResponse() {}

  /**
   * Writes the whole answer and flushes it.
   *
   * @param response the response to answer with: status 429, the headers and {@link #BODY}
   * @param limited the verifier's result, which says which limit refused and for how long
   * @throws IOException if the body cannot be written
   */
  public static void send(HttpServletResponse response, RateLimited limited) throws IOException {
    String policy = "\"" + limited.limitedBy().policyName() + "\"";
    long retryAfter = limited.retryAfterSeconds();
    response.setStatus(429);
    response.setHeader("Retry-After", Long.toString(retryAfter));
    response.setHeader("RateLimit-Policy", policy + ";q=" + limited.limit().requests() + ";w="
        + limited.limit().per().getSeconds());
    response.setHeader("RateLimit", policy + ";r=0;t=" + retryAfter);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setContentLength(BODY_BYTES.length);
    response.getOutputStream().write(BODY_BYTES);
    response.flushBuffer();
  }
}
