package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to an API key: name, description and tags only; a null component leaves that field as it
 * is. Never the identifier.
 */
public record ApiKeyEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags) {
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
  }

  public static ApiKeyEdit none() {
    return new ApiKeyEdit(null, null, null);
  }

  public ApiKeyEdit name(String name) {
    return new ApiKeyEdit(Checks.notNull("name", name), description, tags);
  }

  public ApiKeyEdit description(String description) {
    return new ApiKeyEdit(name, Checks.notNull("description", description), tags);
  }

  public ApiKeyEdit tags(Map<String, String> tags) {
    return new ApiKeyEdit(name, description, Checks.notNull("tags", tags));
  }
}
