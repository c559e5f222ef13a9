package dev.latchkey.servlet;

import dev.latchkey.RateLimited;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a {@link RateLimited} token, without any Servlet type, so that integrations that
 * are not servlets (Spring WebFlux) answer exactly as {@link LatchkeyFilter} and {@link
 * RateLimitResponse} do.
 *
 * <p>{@code 429}, {@code Retry-After} (RFC 9110) in whole seconds, and the two fields of the IETF
 * httpapi draft "RateLimit header fields for HTTP", draft-ietf-httpapi-ratelimit-headers-10
 * (September 2025; the field syntax is the same in -08 to -11): {@code RateLimit-Policy:
 * "<policy>";q=<requests>;w=<period in seconds>} and {@code RateLimit: "<policy>";r=0;t=<seconds
 * until a request is available>}, both Structured Field Lists whose item is the policy's name,
 * {@code "token"} or {@code "key"}. The bucket's burst has no parameter in the draft and is not sent.
 * No {@code WWW-Authenticate}: the credential is fine. {@code Cache-Control: no-store}, body {@value
 * #BODY} as {@value #CONTENT_TYPE}.
 */
public final class RateLimitAnswer {
  /** The status of every over-limit answer: Too Many Requests. */
  public static final int STATUS = 429;
  /** The JSON body of every over-limit answer. */
  public static final String BODY = "{\"error\":\"rate_limited\"}";
  /** The media type of {@link #BODY}. */
  public static final String CONTENT_TYPE = "application/json";

  private RateLimitAnswer() {}

  /**
   * The headers of the answer, in the order they are sent.
   *
   * @param limited the verifier's result, which says which limit refused and for how long
   * @return {@code Retry-After}, {@code RateLimit-Policy}, {@code RateLimit} and {@code
   *     Cache-Control}, by name; unmodifiable
   */
  public static Map<String, String> headers(RateLimited limited) {
    String policy = "\"" + limited.limitedBy().policyName() + "\"";
    String retryAfter = Long.toString(limited.retryAfterSeconds());
    Map<String, String> headers = new LinkedHashMap<>(8);
    headers.put("Retry-After", retryAfter);
    headers.put("RateLimit-Policy", policy + ";q=" + limited.limit().requests() + ";w="
        + limited.limit().per().getSeconds());
    headers.put("RateLimit", policy + ";r=0;t=" + retryAfter);
    headers.put("Cache-Control", "no-store");
    return Collections.unmodifiableMap(headers);
  }
}
