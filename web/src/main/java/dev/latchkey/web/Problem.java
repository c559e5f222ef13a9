package dev.latchkey.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem to answer with: a status, a stable {@link Type} and a detail for people.
 * Thrown inside the module and turned into an {@code application/problem+json} response by the
 * servlet; it has no stack trace (it is an answer, not a failure).
 */
final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Every problem type the API answers with; the slugs are part of the API and never change. */
  enum Type {
    INVALID_ARGUMENT(400, "invalid-argument", "Invalid argument"),
    UNAUTHENTICATED(401, "unauthenticated", "Not signed in"),
    PERMISSION_DENIED(403, "permission-denied", "Permission denied"),
    CSRF_REJECTED(403, "csrf-rejected", "Cross-site request refused"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    CONFLICT(409, "conflict", "Conflict"),
    VERSION_MISMATCH(412, "version-mismatch", "Version mismatch"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    LIMIT_EXCEEDED(422, "limit-exceeded", "Limit exceeded"),
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    NOT_CONFIGURED(501, "not-configured", "Not configured"),
    STORE_UNAVAILABLE(503, "store-unavailable", "Store unavailable");

    /** The prefix of every type URI: a URN, since nothing is to be fetched from it. */
    static final String PREFIX = "urn:latchkey:problem:";

    final int status;
    final String slug;
    final String title;

    Type(int status, String slug, String title) {
      this.status = status;
      this.slug = slug;
      this.title = title;
    }

    String uri() {
      return PREFIX + slug;
    }
  }

  private final Type type;
  private final Map<String, String> headers = new LinkedHashMap<>();

  Problem(Type type, String detail) {
    super(detail, null, false, false);
    this.type = type;
  }

  Type type() {
    return type;
  }

  String detail() {
    return getMessage();
  }

  /** A response header to send with this problem (Allow, WWW-Authenticate). */
  Problem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Map<String, String> headers() {
    return headers;
  }

  static Problem invalid(String detail) {
    return new Problem(Type.INVALID_ARGUMENT, detail);
  }

  static Problem notFound(String detail) {
    return new Problem(Type.NOT_FOUND, detail);
  }
}
