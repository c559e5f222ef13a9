package dev.latchkey;

import java.util.Map;

/**
 * A token imported from another system that stored only a bcrypt hash of its secret. After import
 * it verifies in its old dotted form, {@code pat.<legacyAccountId>.<legacyTokenId>.<secret>} or
 * {@code sat....} (by its owner's type), under the same expiry, revocation and rotation rules as any
 * token. Its first successful verification re-hashes it with HMAC under the primary pepper; a
 * rotation gives it a value in the native format under the same identifier.
 *
 * <p>Legacy secrets are 8 to 72 characters of {@code [A-Za-z0-9_-]}: bcrypt reads only the first
 * 72 bytes of its input, so a longer secret could not be verified whole and is refused. {@link
 * TokenManager#importToken} accepts bcrypt costs 4 to {@link Latchkey.Builder#maxBcryptCost} (12 by
 * default): until its first use every check of the token costs a bcrypt computation.
 *
 * @param legacyAccountId and {@code legacyTokenId}: the ids in the dotted form, 1 to 64 of {@code
 *     [A-Za-z0-9_-]}
 * @param bcryptHash the stored {@code $2a$}, {@code $2b$} or {@code $2y$} hash of the secret
 */
public record LegacyToken(
    TokenRef ref,
    String name,
    String description,
    Map<String, String> tags,
    Expiration expiration,
    String legacyAccountId,
    String legacyTokenId,
    String bcryptHash) {

  public LegacyToken {
    Checks.notNull("token", ref);
    Checks.name("token name", name);
    description = Checks.description("token description", description);
    tags = Checks.tags(tags);
    Checks.notNull("expiration", expiration);
    if (!Checks.isLegacyId(legacyAccountId) || !Checks.isLegacyId(legacyTokenId)) {
      throw new InvalidArgumentException("legacy account and token ids must be 1 to 64 of [A-Za-z0-9_-]");
    }
    if (bcryptHash == null || !bcryptHash.matches("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}")) {
      throw new InvalidArgumentException("bcryptHash must be a $2a$, $2b$ or $2y$ bcrypt hash (cost 04 to 31)");
    }
  }

  public static LegacyToken of(TokenRef ref, String name, String legacyAccountId, String legacyTokenId,
      String bcryptHash, Expiration expiration) {
    return new LegacyToken(ref, name, "", Map.of(), expiration, legacyAccountId, legacyTokenId, bcryptHash);
  }

  @Override
  public String toString() {
    return "LegacyToken[" + ref + ", legacy " + legacyAccountId + "." + legacyTokenId + "]";
  }
}
