package dev.latchkey;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A named container of tokens owned by one principal. Its identifier never changes; name,
 * description and tags may be edited. Keys carry no permissions of their own.
 *
 * @param defaultTokenLifetime lifetime of tokens issued without an explicit expiry; when null the
 *     configured {@link Limits#defaultTokenLifetime()} applies
 */
public record ApiKey(
    ApiKeyRef ref,
    String name,
    String description,
    Map<String, String> tags,
    Scope scope,
    @Nullable Duration defaultTokenLifetime,
    Instant createdAt,
    long version) {

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
  }

  public PrincipalRef owner() {
    return ref.owner();
  }
}
