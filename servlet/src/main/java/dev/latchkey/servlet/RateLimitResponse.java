package dev.latchkey.servlet;

import dev.latchkey.RateLimited;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a {@link RateLimited} token, as {@link LatchkeyFilter} gives it, written to a
 * servlet response; public so that other servlet integrations (Spring Security's) answer the same
 * way. What the answer holds is {@link RateLimitAnswer}'s, which non-servlet integrations use.
 */
public final class RateLimitResponse {
  /** The JSON body of every over-limit answer ({@link RateLimitAnswer#BODY}). */
  public static final String BODY = RateLimitAnswer.BODY;
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
    response.setStatus(RateLimitAnswer.STATUS);
    RateLimitAnswer.headers(limited).forEach(response::setHeader);
    response.setContentType(RateLimitAnswer.CONTENT_TYPE);
    response.setContentLength(BODY_BYTES.length);
    response.getOutputStream().write(BODY_BYTES);
    response.flushBuffer();
  }
}
