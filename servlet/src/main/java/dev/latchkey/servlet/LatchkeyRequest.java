package dev.latchkey.servlet;

import dev.latchkey.Verified;
import jakarta.servlet.ServletRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads what {@link LatchkeyFilter} found out about a request. Behind the filter, the request also
 * answers {@code getUserPrincipal()} (a {@link LatchkeyPrincipal}), {@code getRemoteUser()} (the
 * principal path, e.g. {@code acme/sa/ci_bot}), {@code getAuthType()} ({@link #AUTH_TYPE}) and
 * {@code isUserInRole(role)} (the principal's roles).
 *
 * <pre>{@code
 * if (!LatchkeyRequest.hasPermission(request, "deploy")) {
 *   response.sendError(403);
 *   return;
 * }
 * Verified caller = LatchkeyRequest.verified(request).orElseThrow();
 * }</pre>
 */
public final class LatchkeyRequest {
  /** The request attribute holding the {@link Verified} result of an authenticated request. */
  public static final String VERIFIED_ATTRIBUTE = "dev.latchkey.Verified";

  /** What {@code HttpServletRequest#getAuthType()} returns behind the filter, for either source. */
  public static final String AUTH_TYPE = "Bearer";

  private LatchkeyRequest() {}

  /**
   * The verified token of this request.
   *
   * @param request a request behind {@link LatchkeyFilter}
   * @return the verification result; empty if the request did not pass {@link LatchkeyFilter}
   */
  public static Optional<Verified> verified(ServletRequest request) {
    Objects.requireNonNull(request, "request");
    return request.getAttribute(VERIFIED_ATTRIBUTE) instanceof Verified v ? Optional.of(v) : Optional.empty();
  }

  /**
   * Whether the request was authenticated and its principal holds {@code permission} (exact match,
   * as {@link Verified#hasPermission}). False for an unauthenticated request.
   *
   * @param request a request behind {@link LatchkeyFilter}
   * @param permission the permission's name
   * @return true only for an authenticated request whose principal holds it
   */
  public static boolean hasPermission(ServletRequest request, String permission) {
    Objects.requireNonNull(request, "request");
    return permission != null
        && request.getAttribute(VERIFIED_ATTRIBUTE) instanceof Verified v
        && v.hasPermission(permission);
  }
}
