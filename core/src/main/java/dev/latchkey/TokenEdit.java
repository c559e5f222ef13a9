package dev.latchkey;

import dev.latchkey.internal.Checks;
import java.util.Map;
import java.util.Optional;

/**
 * Changes to a token: name, description, tags and expiry; empty fields stay. Never the identifier
 * or the value (rotate for a new value).
 */
public record TokenEdit(
    Optional<String> name, Optional<String> description, Optional<Map<String, String>> tags, Optional<Expiration> expiration) {
  public TokenEdit {
    Checks.notNull("name", name).ifPresent(n -> Checks.name("token name", n));
    Checks.notNull("description", description).ifPresent(d -> Checks.description("token description", d));
    tags = Checks.notNull("tags", tags).map(Checks::tags);
    Checks.notNull("expiration", expiration);
  }

  public static TokenEdit none() {
    return new TokenEdit(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public TokenEdit name(String name) {
    return new TokenEdit(Optional.of(name), description, tags, expiration);
  }

  public TokenEdit description(String description) {
    return new TokenEdit(name, Optional.of(description), tags, expiration);
  }

  public TokenEdit tags(Map<String, String> tags) {
    return new TokenEdit(name, description, Optional.of(tags), expiration);
  }

  public TokenEdit expiration(Expiration expiration) {
    return new TokenEdit(name, description, tags, Optional.of(expiration));
  }
}
