package dev.latchkey;

import dev.latchkey.internal.Checks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An API key to create. {@code scope} defaults to the owner's: personal keys may only be at account
 * scope and a service account's keys only at that service account's scope.
 */
public record NewApiKey(
    ApiKeyRef ref,
    String name,
    String description,
    Map<String, String> tags,
    Optional<Scope> scope,
    Optional<Duration> defaultTokenLifetime) {
  public NewApiKey {
    Checks.notNull("API key", ref);
    Checks.name("API key name", name);
    description = Checks.description("API key description", description);
    tags = Checks.tags(tags);
    Checks.notNull("scope", scope);
    Checks.notNull("defaultTokenLifetime", defaultTokenLifetime)
        .ifPresent(d -> {
          if (d.isNegative() || d.isZero()) {
            throw new InvalidArgumentException("an API key's default token lifetime must be positive");
          }
        });
  }

  public static NewApiKey of(PrincipalRef owner, String id, String name) {
    return new NewApiKey(new ApiKeyRef(owner, id), name, "", Map.of(), Optional.empty(), Optional.empty());
  }

  public NewApiKey withDescription(String description) {
    return new NewApiKey(ref, name, description, tags, scope, defaultTokenLifetime);
  }

  public NewApiKey withTags(Map<String, String> tags) {
    return new NewApiKey(ref, name, description, tags, scope, defaultTokenLifetime);
  }

  public NewApiKey atScope(Scope scope) {
    return new NewApiKey(ref, name, description, tags, Optional.of(scope), defaultTokenLifetime);
  }

  public NewApiKey withDefaultTokenLifetime(Duration lifetime) {
    return new NewApiKey(ref, name, description, tags, scope, Optional.of(lifetime));
  }
}
