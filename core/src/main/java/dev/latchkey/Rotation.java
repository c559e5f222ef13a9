package dev.latchkey;

import dev.latchkey.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * How to rotate a token: how long the old secret keeps working ({@code grace}; zero ends it at once,
 * and it never outlives the token's expiry), optionally a new expiry, and optionally the version the
 * caller last saw ({@link Token#version()}): with it, the rotation happens only if the token is
 * still at that version, so of several callers who saw the same version exactly one rotates.
 */
public record Rotation(Duration grace, Optional<Expiration> newExpiration, Optional<Long> expectedVersion) {
  public Rotation {
    Checks.notNull("grace", grace);
    if (grace.isNegative()) {
      throw new InvalidArgumentException("rotation grace period must be zero or positive");
    }
    Checks.notNull("newExpiration", newExpiration);
    Checks.notNull("expectedVersion", expectedVersion);
  }

  /** The old secret stops working at once. */
  public static Rotation immediate() {
    return new Rotation(Duration.ZERO, Optional.empty(), Optional.empty());
  }

  public static Rotation withGrace(Duration grace) {
    return new Rotation(grace, Optional.empty(), Optional.empty());
  }

  public Rotation expiring(Expiration expiration) {
    return new Rotation(grace, Optional.of(expiration), expectedVersion);
  }

  /** Rotate only if the token is still at {@code version}; otherwise {@link ConflictException}. */
  public Rotation ifVersion(long version) {
    return new Rotation(grace, newExpiration, Optional.of(version));
  }
}
