package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to a token: name, description, tags, expiry, restriction and rate limit; a null component
 * leaves that field as it is. Never the identifier or the value (rotate for a new value). A narrower
 * restriction takes effect like a revocation; a wider one only within what the principal holds
 * (audited as {@link AuditAction#TOKEN_RESTRICTION_WIDENED}).
 *
 * @param restriction the token's new restriction; null leaves it
 * @param rateLimit a new rate limit for the token; null leaves it (see {@code removeRateLimit})
 * @param removeRateLimit true to remove the token's own rate limit; not together with {@code rateLimit}
 */
public record TokenEdit(
    @Nullable String name,
    @Nullable String description,
    @Nullable Map<String, String> tags,
    @Nullable Expiration expiration,
    @Nullable Restriction restriction,
    @Nullable RateLimit rateLimit,
    boolean removeRateLimit) {
  public TokenEdit {
    if (name != null) {
      Checks.name("token name", name);
    }
    if (description != null) {
      Checks.description("token description", description);
    }
    if (tags != null) {
      tags = Checks.tags(tags);
    }
    if (rateLimit != null && removeRateLimit) {
      throw new InvalidArgumentException("an edit either sets a rate limit or removes it, not both");
    }
  }

  /** An edit that leaves the restriction and the rate limit as they are. */
  public TokenEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
      @Nullable Expiration expiration) {
    this(name, description, tags, expiration, null, null, false);
  }

  /** An edit that leaves the rate limit as it is. */
  public TokenEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
      @Nullable Expiration expiration, @Nullable Restriction restriction) {
    this(name, description, tags, expiration, restriction, null, false);
  }

  /** An edit that leaves the restriction as it is. */
  public TokenEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
      @Nullable Expiration expiration, @Nullable RateLimit rateLimit, boolean removeRateLimit) {
    this(name, description, tags, expiration, null, rateLimit, removeRateLimit);
  }

  public static TokenEdit none() {
    return new TokenEdit(null, null, null, null, null, null, false);
  }

  public TokenEdit restriction(Restriction restriction) {
    return new TokenEdit(name, description, tags, expiration, Checks.notNull("restriction", restriction), rateLimit,
        removeRateLimit);
  }

  public TokenEdit name(String name) {
    return new TokenEdit(Checks.notNull("name", name), description, tags, expiration, restriction, rateLimit,
        removeRateLimit);
  }

  public TokenEdit description(String description) {
    return new TokenEdit(name, Checks.notNull("description", description), tags, expiration, restriction, rateLimit,
        removeRateLimit);
  }

  public TokenEdit tags(Map<String, String> tags) {
    return new TokenEdit(name, description, Checks.notNull("tags", tags), expiration, restriction, rateLimit,
        removeRateLimit);
  }

  public TokenEdit expiration(Expiration expiration) {
    return new TokenEdit(name, description, tags, Checks.notNull("expiration", expiration), restriction, rateLimit,
        removeRateLimit);
  }

  /** Sets the token's rate limit (replacing any). */
  public TokenEdit rateLimit(RateLimit rateLimit) {
    return new TokenEdit(name, description, tags, expiration, restriction, Checks.notNull("rateLimit", rateLimit),
        false);
  }

  /** Removes the token's own rate limit. */
  public TokenEdit noRateLimit() {
    return new TokenEdit(name, description, tags, expiration, restriction, null, true);
  }

  /** Whether the edit changes the rate limit (sets or removes it). */
  public boolean editsRateLimit() {
    return rateLimit != null || removeRateLimit;
  }
}
