package dev.latchkey.spi;

import dev.latchkey.InvalidArgumentException;
import java.time.Instant;

/**
 * One entry of a store's {@link ChangeFeed}: something that may change a verification outcome.
 *
 * @param sequence position in the feed; the first change is 1 and each next one is exactly one more
 * @param subject for {@link Type#TOKEN} the token's lookup id; for {@link Type#PRINCIPAL} the
 *     principal's path ({@link dev.latchkey.PrincipalRef#toString()})
 */
public record Change(long sequence, Type type, String subject, Instant at) {
  public enum Type {
    /** A token was updated (rotated, revoked, edited, re-hashed) or deleted. */
    TOKEN,
    /** A principal was updated (enabled, disabled, grants changed) or deleted. */
    PRINCIPAL
  }

  public Change {
    if (sequence < 1 || type == null || subject == null || subject.isEmpty() || at == null) {
      throw new InvalidArgumentException("a change needs a positive sequence, a type, a subject and a time");
    }
  }
}
