package dev.latchkey.internal;

import dev.latchkey.IssuedToken;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewToken;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.TokenValue;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Makes the records of issued, rotated and imported tokens: the only place the management side
 * draws lookup ids and secrets and hashes them. A new secret leaves here only inside the {@link
 * TokenValue} that is shown once; the record to store holds its hash.
 */
final class Minter {
  private final TokenCodec codec;
  private final SecretHasher hasher;
  private final SecureRandom random;

  Minter(TokenCodec codec, SecretHasher hasher, SecureRandom random) {
    this.codec = codec;
    this.hasher = hasher;
    this.random = random;
  }

  /** A record to store and the value that carries its new secret ({@code toString} is redacted). */
  record Minted(TokenRecord record, TokenValue value) {
    Token token() {
      return record.token();
    }

    IssuedToken issued() {
      return new IssuedToken(record.token(), value);
    }
  }

  /** A new token with a random lookup id and a random secret. */
  Minted issue(NewToken request, Instant now, @Nullable Instant expiresAt) {
    String lookupId = codec.newLookupId(random);
    String secret = codec.newSecret(random);
    Token token = newToken(request.ref(), lookupId, request.name(), request.description(), request.tags(), now,
        expiresAt);
    return minted(token, secret, null);
  }

  /**
   * A rotated token: a random secret under the same lookup id, which never changes. The old hash
   * stays, as the previous credential, only while a grace period runs.
   */
  Minted rotate(TokenRecord before, @Nullable Instant expiresAt, @Nullable Instant graceEnd, Instant now) {
    String secret = codec.newSecret(random);
    Token after = TokenCopy.of(before.token()).expiresAt(expiresAt).rotatedAt(now)
        .previousValidUntil(graceEnd).build();
    return minted(after, secret, graceEnd != null ? before.current() : null);
  }

  /**
   * An imported token: its lookup id derived from its legacy ids (so that the dotted form finds it)
   * and the caller's bcrypt hash, stored as given. No secret is made, and none is seen.
   */
  TokenRecord imported(LegacyToken legacy, Instant now, @Nullable Instant expiresAt) {
    String lookupId = LegacyFormat.lookupId(legacy.legacyAccountId(), legacy.legacyTokenId());
    Token token = newToken(legacy.ref(), lookupId, legacy.name(), legacy.description(), legacy.tags(), now,
        expiresAt);
    return new TokenRecord(token, new CredentialHash(CredentialHash.BCRYPT, 0, legacy.bcryptHash()), null);
  }

  private Minted minted(Token token, String secret, @Nullable CredentialHash previous) {
    String value = codec.encode(token.ref().owner().type(), token.lookupId(), secret);
    return new Minted(new TokenRecord(token, hasher.hash(secret), previous), TokenValue.of(value));
  }

  private static Token newToken(TokenRef ref, String lookupId, String name, String description,
      Map<String, String> tags, Instant now, @Nullable Instant expiresAt) {
    return new Token(ref, lookupId, name, description, tags, now, expiresAt, TokenStatus.ACTIVE, null, null, null, 1);
  }
}
