package dev.latchkey;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An API key to create. {@code scope} defaults to the owner's: personal keys may only be at account
 * scope and a service account's keys only at that service account's scope.
 *
 * @param scope where the key lives; null for the owner's scope
 * @param defaultTokenLifetime lifetime of tokens issued under the key without an explicit expiry;
 *     null for {@link Limits#defaultTokenLifetime()}
 */
public record NewApiKey(
    ApiKeyRef ref,
    String name,
    String description,
    Map<String, String> tags,
    @Nullable Scope scope,
    @Nullable Duration defaultTokenLifetime) {
  public NewApiKey {
    Checks.notNull("API key", ref);
    Checks.name("API key name", name);
    description = Checks.description("API key description", description);
    tags = Checks.tags(tags);
    if (defaultTokenLifetime != null && (defaultTokenLifetime.isNegative() || defaultTokenLifetime.isZero())) {
      throw new InvalidArgumentException("an API key's default token lifetime must be positive");
    }
  }

  public static NewApiKey of(PrincipalRef owner, String id, String name) {
    return new NewApiKey(new ApiKeyRef(owner, id), name, "", Map.of(), null, null);
  }

  public NewApiKey withDescription(String description) {
    return new NewApiKey(ref, name, description, tags, scope, defaultTokenLifetime);
  }

  public NewApiKey withTags(Map<String, String> tags) {
    return new NewApiKey(ref, name, description, tags, scope, defaultTokenLifetime);
  }

  public NewApiKey atScope(Scope scope) {
    return new NewApiKey(ref, name, description, tags, Checks.notNull("scope", scope), defaultTokenLifetime);
  }

  public NewApiKey withDefaultTokenLifetime(Duration lifetime) {
    return new NewApiKey(ref, name, description, tags, scope, Checks.notNull("defaultTokenLifetime", lifetime));
  }
}
