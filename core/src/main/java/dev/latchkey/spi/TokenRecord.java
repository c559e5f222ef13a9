package dev.latchkey.spi;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Token;
import org.jspecify.annotations.Nullable;

/**
 * What a store keeps for one token: its metadata, the hash of its current secret and, during a
 * rotation grace period, the hash of the previous one. Never the secret itself.
 *
 * @param previous the hash of the rotated-out secret; present exactly when {@link
 *     Token#previousValidUntil()} is, null otherwise
 */
public record TokenRecord(Token token, CredentialHash current, @Nullable CredentialHash previous) {
  public TokenRecord {
    if (token == null || current == null) {
      throw new InvalidArgumentException("token and current hash are required");
    }
    if ((previous != null) != (token.previousValidUntil() != null)) {
      throw new InvalidArgumentException("a previous hash and its validity end go together");
    }
  }

  public String lookupId() {
    return token.lookupId();
  }

  public long version() {
    return token.version();
  }
}
