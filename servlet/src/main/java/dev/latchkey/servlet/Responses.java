package dev.latchkey.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The three answers the filter gives, fixed at configuration time (the 429 depends on the limit:
 * {@link RateLimitResponse}). Bodies are constants: they never
 * depend on the request, so nothing the client sent (least of all the token) can be echoed, and
 * every rejection of a presented token is byte-identical whatever its reason.
 */
final class Responses {
  static final String MISSING_BODY = "{\"error\":\"unauthorized\"}";
  static final String INVALID_BODY = "{\"error\":\"invalid_token\"}";
  static final String FORBIDDEN_BODY = "{\"error\":\"insufficient_scope\"}";

  private static final byte[] MISSING = MISSING_BODY.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INVALID = INVALID_BODY.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORBIDDEN = FORBIDDEN_BODY.getBytes(StandardCharsets.US_ASCII);

  private final String missingChallenge;
  private final String invalidChallenge;
  private final String forbiddenChallenge;

  /** @param realm null for none; already validated to need no escaping */
  Responses(String realm) {
    String realmParam = realm == null ? "" : "realm=\"" + realm + "\"";
    this.missingChallenge = realm == null ? "Bearer" : "Bearer " + realmParam;
    String prefix = realm == null ? "Bearer " : "Bearer " + realmParam + ", ";
    this.invalidChallenge = prefix + "error=\"invalid_token\"";
    this.forbiddenChallenge = prefix + "error=\"insufficient_scope\"";
  }

  /** 401 without an error code: RFC 6750 §3.1, the client sent no credential at all. */
  void missing(HttpServletResponse response) throws IOException {
    send(response, HttpServletResponse.SC_UNAUTHORIZED, missingChallenge, MISSING);
  }

  /** 401 invalid_token: any presented credential that does not verify, for whatever reason. */
  void invalid(HttpServletResponse response) throws IOException {
    send(response, HttpServletResponse.SC_UNAUTHORIZED, invalidChallenge, INVALID);
  }

  /** 403 insufficient_scope: a valid token whose principal lacks a required permission. */
  void forbidden(HttpServletResponse response) throws IOException {
    send(response, HttpServletResponse.SC_FORBIDDEN, forbiddenChallenge, FORBIDDEN);
  }

  // Written directly rather than with sendError(): an error page could render the request back.
  private static void send(HttpServletResponse response, int status, String challenge, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setHeader("WWW-Authenticate", challenge);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
