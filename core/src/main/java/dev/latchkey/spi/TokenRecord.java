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
 * @param keyRateLimit the rate limit of the token's API key at the time of the read, so that
 *     verification learns it in the same single read: {@link TokenStore#findTokenByLookupId} must
 *     fill it in; other reads may leave it null, and writes ignore it (a key's limit is stored with the
 *     key)
 */
public record TokenRecord(Token token, CredentialHash current, @Nullable CredentialHash previous,
    dev.latchkey.@Nullable RateLimit keyRateLimit) {
  public TokenRecord {
    if (token == null || current == null) {
      throw new InvalidArgumentException("token and current hash are required");
    }
    if ((previous != null) != (token.previousValidUntil() != null)) {
      throw new InvalidArgumentException("a previous hash and its validity end go together");
    }
  }

  /** A record without its key's rate limit (for writes, and reads other than the verification lookup). */
  public TokenRecord(Token token, CredentialHash current, @Nullable CredentialHash previous) {
    this(token, current, previous, null);
  }

  /** This record with the key's rate limit as read together with it. */
  public TokenRecord withKeyRateLimit(dev.latchkey.@Nullable RateLimit limit) {
    return new TokenRecord(token, current, previous, limit);
  }

  public String lookupId() {
    return token.lookupId();
  }

  public long version() {
    return token.version();
  }
}
