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
    /**
     * A token was deleted, or updated in a way a verifier reads (revoked, rotated, re-hashed, its
     * expiry or grace period changed); see {@link ChangeFeed#affectsVerification(TokenRecord,
     * TokenRecord)}, or its API key's restriction changed. Renames and other edits are not announced.
     */
    TOKEN,
    /**
     * A principal was deleted, or updated in a way a verifier reads (enabled, disabled, its roles,
     * permissions or scope changed); see {@link ChangeFeed#affectsVerification(dev.latchkey.Principal,
     * dev.latchkey.Principal)}. Renames are not announced.
     */
    PRINCIPAL
  }

  public Change {
    if (sequence < 1 || type == null || subject == null || subject.isEmpty() || at == null) {
      throw new InvalidArgumentException("a change needs a positive sequence, a type, a subject and a time");
    }
  }
}
