package dev.latchkey;

import dev.latchkey.internal.Checks;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A token's metadata. It never contains the token value or anything derived from the secret; the
 * value is shown once, in {@link IssuedToken}, and cannot be retrieved again.
 *
 * @param lookupId the public, random id embedded in the token value; not secret
 * @param previousValidUntil after a rotation with a grace period, until when the previous secret
 *     still verifies
 * @param version increases by one with every stored change; used for compare-and-set updates
 */
public record Token(
    TokenRef ref,
    String lookupId,
    String name,
    String description,
    Map<String, String> tags,
    Instant createdAt,
    Optional<Instant> expiresAt,
    TokenStatus status,
    Optional<Instant> rotatedAt,
    Optional<Instant> previousValidUntil,
    Optional<Instant> lastUsedAt,
    long version) {

  public Token {
    Checks.notNull("token", ref);
    if (!isLookupId(lookupId)) {
      throw new InvalidArgumentException("a token's lookup id is " + TokenFormat.ID_LENGTH + " base62 characters");
    }
    Checks.name("token name", name);
    description = Checks.description("token description", description);
    tags = Checks.tags(tags);
    Checks.notNull("createdAt", createdAt);
    Checks.notNull("expiresAt", expiresAt);
    Checks.notNull("status", status);
    Checks.notNull("rotatedAt", rotatedAt);
    Checks.notNull("previousValidUntil", previousValidUntil);
    Checks.notNull("lastUsedAt", lastUsedAt);
  }

  private static boolean isLookupId(String s) {
    if (s == null || s.length() != TokenFormat.ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (dev.latchkey.internal.Base62.digit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  public PrincipalRef owner() {
    return ref.owner();
  }

  /** True when the token has an expiry at or before {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
  }

  /** True when the token is active and not expired at {@code now}; such tokens count against limits. */
  public boolean isUsableAt(Instant now) {
    return status == TokenStatus.ACTIVE && !isExpiredAt(now);
  }
}
