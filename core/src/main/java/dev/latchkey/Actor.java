package dev.latchkey;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who performs a management call: a principal (checked by the {@link AccessPolicy}) or the system
 * itself (bootstrap, operator tooling), which is allowed everything.
 */
public final class Actor {
  private static final Actor SYSTEM = new Actor(null);
  private final @Nullable PrincipalRef principal;

  private Actor(@Nullable PrincipalRef principal) {
    this.principal = principal;
  }

  /** The application itself; bypasses the access policy. Use for bootstrap and operator tools. */
  public static Actor system() {
    return SYSTEM;
  }

  public static Actor principal(@Nullable PrincipalRef principal) {
    if (principal == null) {
      throw new InvalidArgumentException("actor principal is required");
    }
    return new Actor(principal);
  }

  /** The principal of a verified token, e.g. for a management API called with a bearer token. */
  public static Actor of(Verified verified) {
    return principal(verified.principal());
  }

  public boolean isSystem() {
    return principal == null;
  }

  public Optional<PrincipalRef> principal() {
    return Optional.ofNullable(principal);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Actor a && java.util.Objects.equals(a.principal, principal);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(principal);
  }

  @Override
  public String toString() {
    return principal == null ? "system" : principal.toString();
  }
}
