package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to an API key: name, description, tags, restriction and rate limit; a null component
 * leaves that field as it is. Never the identifier. A narrower restriction takes effect on all the
 * key's tokens like a revocation; a wider one only within what the owner holds (audited as {@link
 * AuditAction#API_KEY_RESTRICTION_WIDENED}).
 *
 * @param restriction the key's new restriction; null leaves it
 * @param rateLimit a new rate limit for the key; null leaves it (see {@code removeRateLimit})
 * @param removeRateLimit true to remove the key's rate limit; not together with {@code rateLimit}
 */
public record ApiKeyEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
    @Nullable Restriction restriction, @Nullable RateLimit rateLimit, boolean removeRateLimit) {
  public ApiKeyEdit {
    if (name != null) {
      Checks.name("API key name", name);
    }
    if (description != null) {
      Checks.description("API key description", description);
    }
    if (tags != null) {
      tags = Checks.tags(tags);
    }
    if (rateLimit != null && removeRateLimit) {
      throw new InvalidArgumentException("an edit either sets a rate limit or removes it, not both");
    }
  }

  /** An edit that leaves the restriction and the rate limit as they are. */
  public ApiKeyEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags) {
    this(name, description, tags, null, null, false);
  }

  /** An edit that leaves the rate limit as it is. */
  public ApiKeyEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
      @Nullable Restriction restriction) {
    this(name, description, tags, restriction, null, false);
  }

  /** An edit that leaves the restriction as it is. */
  public ApiKeyEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
      @Nullable RateLimit rateLimit, boolean removeRateLimit) {
    this(name, description, tags, null, rateLimit, removeRateLimit);
  }

  public static ApiKeyEdit none() {
    return new ApiKeyEdit(null, null, null, null, null, false);
  }

  public ApiKeyEdit restriction(Restriction restriction) {
    return new ApiKeyEdit(name, description, tags, Checks.notNull("restriction", restriction), rateLimit,
        removeRateLimit);
  }

  public ApiKeyEdit name(String name) {
    return new ApiKeyEdit(Checks.notNull("name", name), description, tags, restriction, rateLimit, removeRateLimit);
  }

  public ApiKeyEdit description(String description) {
    return new ApiKeyEdit(name, Checks.notNull("description", description), tags, restriction, rateLimit,
        removeRateLimit);
  }

  public ApiKeyEdit tags(Map<String, String> tags) {
    return new ApiKeyEdit(name, description, Checks.notNull("tags", tags), restriction, rateLimit, removeRateLimit);
  }

  /** Sets the key's rate limit (replacing any). */
  public ApiKeyEdit rateLimit(RateLimit rateLimit) {
    return new ApiKeyEdit(name, description, tags, restriction, Checks.notNull("rateLimit", rateLimit), false);
  }

  /** Removes the key's rate limit. */
  public ApiKeyEdit noRateLimit() {
    return new ApiKeyEdit(name, description, tags, restriction, null, true);
  }

  /** Whether the edit changes the rate limit (sets or removes it). */
  public boolean editsRateLimit() {
    return rateLimit != null || removeRateLimit;
  }
}
