package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to a token: name, description, tags and expiry; a null component leaves that field as it
 * is. Never the identifier or the value (rotate for a new value).
 */
public record TokenEdit(
    @Nullable String name,
    @Nullable String description,
    @Nullable Map<String, String> tags,
    @Nullable Expiration expiration) {
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
  }

  public static TokenEdit none() {
    return new TokenEdit(null, null, null, null);
  }

  public TokenEdit name(String name) {
    return new TokenEdit(Checks.notNull("name", name), description, tags, expiration);
  }

  public TokenEdit description(String description) {
    return new TokenEdit(name, Checks.notNull("description", description), tags, expiration);
  }

  public TokenEdit tags(Map<String, String> tags) {
    return new TokenEdit(name, description, Checks.notNull("tags", tags), expiration);
  }

  public TokenEdit expiration(Expiration expiration) {
    return new TokenEdit(name, description, tags, Checks.notNull("expiration", expiration));
  }
}
