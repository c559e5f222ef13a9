package dev.latchkey.spi;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Token;
import java.util.Optional;

/**
 * What a store keeps for one token: its metadata, the hash of its current secret and, during a
 * rotation grace period, the hash of the previous one. Never the secret itself.
 */
public record TokenRecord(Token token, CredentialHash current, Optional<CredentialHash> previous) {
  public TokenRecord {
    if (token == null || current == null || previous == null) {
      throw new InvalidArgumentException("token, current hash and previous (may be empty) are required");
    }
    if (previous.isPresent() != token.previousValidUntil().isPresent()) {
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
