package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to an API key: name, description, tags and restriction; a null component leaves that
 * field as it is. Never the identifier. A narrower restriction takes effect on all the key's tokens
 * like a revocation; a wider one only within what the owner holds (audited as {@link
 * AuditAction#API_KEY_RESTRICTION_WIDENED}).
 */
public record ApiKeyEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
    @Nullable Restriction restriction) {
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

  public ApiKeyEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags) {
    this(name, description, tags, null);
  }

  public static ApiKeyEdit none() {
    return new ApiKeyEdit(null, null, null, null);
  }

  public ApiKeyEdit restriction(Restriction restriction) {
    return new ApiKeyEdit(name, description, tags, Checks.notNull("restriction", restriction));
  }

  public ApiKeyEdit name(String name) {
    return new ApiKeyEdit(Checks.notNull("name", name), description, tags, restriction);
  }

  public ApiKeyEdit description(String description) {
    return new ApiKeyEdit(name, Checks.notNull("description", description), tags);
  }

  public ApiKeyEdit tags(Map<String, String> tags) {
    return new ApiKeyEdit(name, description, Checks.notNull("tags", tags), restriction);
  }
}
