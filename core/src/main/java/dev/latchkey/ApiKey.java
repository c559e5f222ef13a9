package dev.latchkey;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A named container of tokens owned by one principal. Its identifier never changes; name,
 * description and tags may be edited. Keys carry no permissions of their own;
 * a key's restriction narrows all its tokens.
 *
 * @param defaultTokenLifetime lifetime of tokens issued without an explicit expiry; when null the
 *     configured {@link Limits#defaultTokenLifetime()} applies
 * @param restriction what every token of the key is narrowed to, on top of its own restriction;
 *     {@link Restriction#NONE} for no restriction
 * @param rateLimit the key's rate limit, one bucket for all its tokens together; null for none
 */
public record ApiKey(
    ApiKeyRef ref,
    String name,
    String description,
    Map<String, String> tags,
    Scope scope,
    @Nullable Duration defaultTokenLifetime,
    Instant createdAt,
    long version,
    Restriction restriction,
    @Nullable RateLimit rateLimit) {

  public ApiKey {
    Checks.notNull("API key", ref);
    Checks.name("API key name", name);
    description = Checks.description("API key description", description);
    tags = Checks.tags(tags);
    Checks.notNull("scope", scope);
    if (defaultTokenLifetime != null && (defaultTokenLifetime.isNegative() || defaultTokenLifetime.isZero())) {
      throw new InvalidArgumentException("an API key's default token lifetime must be positive");
    }
    Checks.notNull("createdAt", createdAt);
    Checks.notNull("restriction", restriction);
  }

  /** An unrestricted key without a rate limit. */
  public ApiKey(ApiKeyRef ref, String name, String description, Map<String, String> tags, Scope scope,
      @Nullable Duration defaultTokenLifetime, Instant createdAt, long version) {
    this(ref, name, description, tags, scope, defaultTokenLifetime, createdAt, version, Restriction.NONE, null);
  }

  /** A key without a rate limit. */
  public ApiKey(ApiKeyRef ref, String name, String description, Map<String, String> tags, Scope scope,
      @Nullable Duration defaultTokenLifetime, Instant createdAt, long version, Restriction restriction) {
    this(ref, name, description, tags, scope, defaultTokenLifetime, createdAt, version, restriction, null);
  }

  /** An unrestricted key. */
  public ApiKey(ApiKeyRef ref, String name, String description, Map<String, String> tags, Scope scope,
      @Nullable Duration defaultTokenLifetime, Instant createdAt, long version, @Nullable RateLimit rateLimit) {
    this(ref, name, description, tags, scope, defaultTokenLifetime, createdAt, version, Restriction.NONE, rateLimit);
  }

  public PrincipalRef owner() {
    return ref.owner();
  }
}
