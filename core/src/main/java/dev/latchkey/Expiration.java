package dev.latchkey;

import dev.latchkey.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When a new, edited or rotated token expires: the default lifetime (the key's, else {@link
 * Limits#defaultTokenLifetime()}), a lifetime from now, a fixed instant, or never (only when {@link
 * Limits#maxTokenLifetime()} is empty).
 */
public final class Expiration {
  private enum Kind { DEFAULT, AFTER, AT, NEVER }

  private static final Expiration DEFAULT = new Expiration(Kind.DEFAULT, null, null);
  private static final Expiration NEVER = new Expiration(Kind.NEVER, null, null);

  private final Kind kind;
  private final @Nullable Duration after;
  private final @Nullable Instant at;

  private Expiration(Kind kind, @Nullable Duration after, @Nullable Instant at) {
    this.kind = kind;
    this.after = after;
    this.at = at;
  }

  public static Expiration defaultLifetime() {
    return DEFAULT;
  }

  public static Expiration never() {
    return NEVER;
  }

  public static Expiration after(@Nullable Duration lifetime) {
    if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
      throw new InvalidArgumentException("token lifetime must be positive");
    }
    return new Expiration(Kind.AFTER, lifetime, null);
  }

  public static Expiration at(@Nullable Instant instant) {
    if (instant == null) {
      throw new InvalidArgumentException("expiry instant is required");
    }
    return new Expiration(Kind.AT, null, instant);
  }

  /**
   * Resolves to an instant and checks it against the limits: it must be in the future and no
   * further than the maximum lifetime from now.
   *
   * @param keyDefault the API key's {@link ApiKey#defaultTokenLifetime()}; null for the limits' default
   * @return when the token expires; null if it never does (only {@link #never()}, and only without
   *     a maximum lifetime)
   */
  public @Nullable Instant resolve(Instant now, @Nullable Duration keyDefault, Limits limits) {
    Duration max = limits.maxTokenLifetime();
    Instant result;
    switch (kind) {
      case DEFAULT:
        result = now.plus(keyDefault != null ? keyDefault : limits.defaultTokenLifetime());
        break;
      case AFTER:
        result = now.plus(java.util.Objects.requireNonNull(after));
        break;
      case AT:
        result = java.util.Objects.requireNonNull(at);
        break;
      case NEVER:
        if (max != null) {
          throw new InvalidArgumentException(
              "tokens must expire: the maximum token lifetime is " + Durations.human(max)
                  + "; choose an expiry or configure Limits without a maximum");
        }
        return null;
      default:
        throw new AssertionError(kind);
    }
    if (!result.isAfter(now)) {
      throw new InvalidArgumentException("token expiry must be in the future; " + result
          + (result.equals(now) ? " is now" : " is in the past") + " (now " + now + ")");
    }
    if (max != null && result.isAfter(now.plus(max))) {
      throw new InvalidArgumentException(
          "token expiry " + result + " is beyond the maximum token lifetime of " + Durations.human(max) + " from now");
    }
    return result;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Expiration e && e.kind == kind && java.util.Objects.equals(e.after, after)
        && java.util.Objects.equals(e.at, at);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, after, at);
  }

  @Override
  public String toString() {
    switch (kind) {
      case AFTER:
        return "Expiration[after " + after + "]";
      case AT:
        return "Expiration[at " + at + "]";
      default:
        return "Expiration[" + kind.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
  }
}
