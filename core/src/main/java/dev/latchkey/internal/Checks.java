package dev.latchkey.internal;

import dev.latchkey.InvalidArgumentException;
import org.jspecify.annotations.Nullable;

/**
 * Null checks of management-call arguments. Everything else about an argument is checked by the
 * value type itself when it is constructed (see the package-private {@code dev.latchkey.Checks}).
 */
final class Checks {
  private Checks() {}

  static <T> T notNull(String field, @Nullable T value) {
    if (value == null) {
      throw new InvalidArgumentException(field + " is required");
    }
    return value;
  }
}
