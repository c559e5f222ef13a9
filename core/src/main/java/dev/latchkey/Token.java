package dev.latchkey;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A token's metadata. It never contains the token value or anything derived from the secret; the
 * value is shown once, in {@link IssuedToken}, and cannot be retrieved again.
 *
 * @param lookupId the public, random id embedded in the token value; not secret
 * @param expiresAt when the token stops verifying; null if it never expires
 * @param rotatedAt when the token was last rotated; null if never
 * @param previousValidUntil after a rotation with a grace period, until when the previous secret
 *     still verifies; null when no previous secret is valid
 * @param lastUsedAt when the token last verified, as far as written to the store; null if never
 * @param version increases by one with every stored change; used for compare-and-set updates
 * @param restriction what the token is narrowed to (its permissions, roles and allowed addresses);
 *     {@link Restriction#NONE} when it carries all of its principal's rights, from anywhere
 * @param rateLimit the token's own rate limit; null for none (its key's may still apply)
 * @param lastUsedFrom the client address of the use recorded in {@code lastUsedAt}; null if never
 *     used, or if that use came without an address (plain {@link TokenVerifier#verify(CharSequence)})
 */
public record Token(
    TokenRef ref,
    String lookupId,
    String name,
    String description,
    Map<String, String> tags,
    Instant createdAt,
    @Nullable Instant expiresAt,
    TokenStatus status,
    @Nullable Instant rotatedAt,
    @Nullable Instant previousValidUntil,
    @Nullable Instant lastUsedAt,
    long version,
    Restriction restriction,
    @Nullable RateLimit rateLimit,
    @Nullable IpAddress lastUsedFrom) {

  public Token {
    Checks.notNull("token", ref);
    if (!isLookupId(lookupId)) {
      throw new InvalidArgumentException("a token's lookup id is " + TokenFormat.ID_LENGTH + " base62 characters");
    }
    Checks.name("token name", name);
    description = Checks.description("token description", description);
    tags = Checks.tags(tags);
    Checks.notNull("createdAt", createdAt);
    Checks.notNull("status", status);
    Checks.notNull("restriction", restriction);
  }

  /** A token whose last use, if any, came without a recorded address. */
  public Token(TokenRef ref, String lookupId, String name, String description, Map<String, String> tags,
      Instant createdAt, @Nullable Instant expiresAt, TokenStatus status, @Nullable Instant rotatedAt,
      @Nullable Instant previousValidUntil, @Nullable Instant lastUsedAt, long version, Restriction restriction,
      @Nullable RateLimit rateLimit) {
    this(ref, lookupId, name, description, tags, createdAt, expiresAt, status, rotatedAt, previousValidUntil,
        lastUsedAt, version, restriction, rateLimit, null);
  }

  /** An unrestricted token without a rate limit of its own. */
  public Token(TokenRef ref, String lookupId, String name, String description, Map<String, String> tags,
      Instant createdAt, @Nullable Instant expiresAt, TokenStatus status, @Nullable Instant rotatedAt,
      @Nullable Instant previousValidUntil, @Nullable Instant lastUsedAt, long version) {
    this(ref, lookupId, name, description, tags, createdAt, expiresAt, status, rotatedAt, previousValidUntil,
        lastUsedAt, version, Restriction.NONE, null);
  }

  /** A token without a rate limit of its own. */
  public Token(TokenRef ref, String lookupId, String name, String description, Map<String, String> tags,
      Instant createdAt, @Nullable Instant expiresAt, TokenStatus status, @Nullable Instant rotatedAt,
      @Nullable Instant previousValidUntil, @Nullable Instant lastUsedAt, long version, Restriction restriction) {
    this(ref, lookupId, name, description, tags, createdAt, expiresAt, status, rotatedAt, previousValidUntil,
        lastUsedAt, version, restriction, null);
  }

  /** An unrestricted token. */
  public Token(TokenRef ref, String lookupId, String name, String description, Map<String, String> tags,
      Instant createdAt, @Nullable Instant expiresAt, TokenStatus status, @Nullable Instant rotatedAt,
      @Nullable Instant previousValidUntil, @Nullable Instant lastUsedAt, long version, @Nullable RateLimit rateLimit) {
    this(ref, lookupId, name, description, tags, createdAt, expiresAt, status, rotatedAt, previousValidUntil,
        lastUsedAt, version, Restriction.NONE, rateLimit);
  }

  private static boolean isLookupId(@Nullable String s) {
    return s != null && s.length() == TokenFormat.ID_LENGTH && Checks.isBase62(s);
  }

  public PrincipalRef owner() {
    return ref.owner();
  }

  /** True when the token has an expiry at or before {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** True when the token is active and not expired at {@code now}; such tokens count against limits. */
  public boolean isUsableAt(Instant now) {
    return status == TokenStatus.ACTIVE && !isExpiredAt(now);
  }
}
