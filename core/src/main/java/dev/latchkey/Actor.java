package dev.latchkey;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who performs a management call: a principal (checked by the {@link AccessPolicy}) or the system
 * itself (bootstrap, operator tooling), which is allowed everything.
 */
public final class Actor {
  private static final Actor SYSTEM = new Actor(null, List.of());
  private final @Nullable PrincipalRef principal;
  private final List<Restriction> restrictions;

  private Actor(@Nullable PrincipalRef principal, List<Restriction> restrictions) {
    this.principal = principal;
    this.restrictions = restrictions;
  }

  /** The application itself; bypasses the access policy. Use for bootstrap and operator tools. */
  public static Actor system() {
    return SYSTEM;
  }

  public static Actor principal(@Nullable PrincipalRef principal) {
    if (principal == null) {
      throw new InvalidArgumentException("actor principal is required");
    }
    return new Actor(principal, List.of());
  }

  /**
   * The principal of a verified token, e.g. for a management API called with a bearer token. It
   * acts under the token's and its key's restrictions: the access policy sees the principal's roles
   * and permissions narrowed by them, and it can create, widen or rotate only credentials whose
   * restriction lies within them (a token restricted to {@code read} cannot mint an unrestricted one).
   */
  public static Actor of(Verified verified) {
    if (verified == null) {
      throw new InvalidArgumentException("a verified token is required");
    }
    List<Restriction> rs = new ArrayList<>(2);
    for (Restriction r : List.of(verified.keyRestriction(), verified.tokenRestriction())) {
      if (!r.isNone()) {
        rs.add(r);
      }
    }
    return new Actor(Checks.notNull("principal", verified.principal()), List.copyOf(rs));
  }

  /** The restrictions this actor acts under (empty for the system actor and a plain principal). */
  public List<Restriction> restrictions() {
    return restrictions;
  }

  public boolean isSystem() {
    return principal == null;
  }

  public Optional<PrincipalRef> principal() {
    return Optional.ofNullable(principal);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Actor a && java.util.Objects.equals(a.principal, principal)
        && a.restrictions.equals(restrictions);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(principal) * 31 + restrictions.hashCode();
  }

  @Override
  public String toString() {
    return principal == null ? "system" : principal.toString();
  }
}
