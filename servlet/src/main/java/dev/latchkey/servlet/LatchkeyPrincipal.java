package dev.latchkey.servlet;

import dev.latchkey.PrincipalRef;
import dev.latchkey.Verified;
import java.security.Principal;

/**
 * The {@link Principal} of a request authenticated by {@link LatchkeyFilter}. Its name is the
 * principal path ({@code account/user/id} or {@code account/sa/id}); cast {@code
 * request.getUserPrincipal()} to this type to reach the whole {@link Verified} result. Two
 * instances are equal when they name the same principal, whichever token was used.
 */
public final class LatchkeyPrincipal implements Principal {
  private final Verified verified;

  LatchkeyPrincipal(Verified verified) {
    this.verified = verified;
  }

  /** The principal path, e.g. {@code acme/sa/ci_bot}. */
  @Override
  public String getName() {
    return verified.principal().toString();
  }

  /**
   * The verified principal.
   *
   * @return its reference (account, type and name)
   */
  public PrincipalRef ref() {
    return verified.principal();
  }

  /**
   * The verification result.
   *
   * @return scope, roles, permissions, token and key identifiers
   */
  public Verified verified() {
    return verified;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatchkeyPrincipal p && p.verified.principal().equals(verified.principal());
  }

  @Override
  public int hashCode() {
    return verified.principal().hashCode();
  }

  @Override
  public String toString() {
    return "LatchkeyPrincipal[" + getName() + "]";
  }
}
