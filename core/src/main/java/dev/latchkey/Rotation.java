package dev.latchkey;

import dev.latchkey.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * How to rotate a token: how long the old secret keeps working ({@code grace}; zero ends it at once,
 * and it never outlives the token's expiry) and, optionally, a new expiry.
 */
public record Rotation(Duration grace, Optional<Expiration> newExpiration) {
  public Rotation {
    Checks.notNull("grace", grace);
    if (grace.isNegative()) {
      throw new InvalidArgumentException("rotation grace period must be zero or positive");
    }
    Checks.notNull("newExpiration", newExpiration);
  }

  /** The old secret stops working at once. */
  public static Rotation immediate() {
    return new Rotation(Duration.ZERO, Optional.empty());
  }

  public static Rotation withGrace(Duration grace) {
    return new Rotation(grace, Optional.empty());
  }

  public Rotation expiring(Expiration expiration) {
    return new Rotation(grace, Optional.of(expiration));
  }
}
