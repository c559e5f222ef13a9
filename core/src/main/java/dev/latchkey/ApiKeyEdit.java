package dev.latchkey;

import dev.latchkey.internal.Checks;
import java.util.Map;
import java.util.Optional;

/** Changes to an API key: name, description and tags only; empty fields stay. Never the identifier. */
public record ApiKeyEdit(Optional<String> name, Optional<String> description, Optional<Map<String, String>> tags) {
  public ApiKeyEdit {
    Checks.notNull("name", name).ifPresent(n -> Checks.name("API key name", n));
    Checks.notNull("description", description).ifPresent(d -> Checks.description("API key description", d));
    tags = Checks.notNull("tags", tags).map(Checks::tags);
  }

  public static ApiKeyEdit none() {
    return new ApiKeyEdit(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public ApiKeyEdit name(String name) {
    return new ApiKeyEdit(Optional.of(name), description, tags);
  }

  public ApiKeyEdit description(String description) {
    return new ApiKeyEdit(name, Optional.of(description), tags);
  }

  public ApiKeyEdit tags(Map<String, String> tags) {
    return new ApiKeyEdit(name, description, Optional.of(tags));
  }
}
