package dev.latchkey;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to rotate a token: how long the old secret keeps working ({@code grace}; zero ends it at once,
 * and it never outlives the token's expiry), optionally a new expiry, and optionally the version the
 * caller last saw ({@link Token#version()}): with it, the rotation happens only if the token is
 * still at that version, so of several callers who saw the same version exactly one rotates.
 *
 * @param newExpiration the token's expiry after the rotation; null keeps the current expiry
 * @param expectedVersion rotate only at this version; null rotates whatever the version
 */
public record Rotation(Duration grace, @Nullable Expiration newExpiration, @Nullable Long expectedVersion) {
  public Rotation {
    Checks.notNull("grace", grace);
    if (grace.isNegative()) {
      throw new InvalidArgumentException("rotation grace period must be zero or positive");
    }
  }

  /** The old secret stops working at once. */
  public static Rotation immediate() {
    return new Rotation(Duration.ZERO, null, null);
  }

  public static Rotation withGrace(Duration grace) {
    return new Rotation(grace, null, null);
  }

  public Rotation expiring(Expiration expiration) {
    return new Rotation(grace, Checks.notNull("expiration", expiration), expectedVersion);
  }

  /** Rotate only if the token is still at {@code version}; otherwise {@link ConflictException}. */
  public Rotation ifVersion(long version) {
    return new Rotation(grace, newExpiration, version);
  }
}
