package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to a token: name, description, tags, expiry and restriction; a null component leaves that
 * field as it is. Never the identifier or the value (rotate for a new value). A narrower restriction
 * takes effect like a revocation; a wider one only within what the principal holds (audited as
 * {@link AuditAction#TOKEN_RESTRICTION_WIDENED}).
 */
public record TokenEdit(
    @Nullable String name,
    @Nullable String description,
    @Nullable Map<String, String> tags,
    @Nullable Expiration expiration,
    @Nullable Restriction restriction) {
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

  public TokenEdit(@Nullable String name, @Nullable String description, @Nullable Map<String, String> tags,
      @Nullable Expiration expiration) {
    this(name, description, tags, expiration, null);
  }

  public static TokenEdit none() {
    return new TokenEdit(null, null, null, null, null);
  }

  public TokenEdit restriction(Restriction restriction) {
    return new TokenEdit(name, description, tags, expiration, Checks.notNull("restriction", restriction));
  }

  public TokenEdit name(String name) {
    return new TokenEdit(Checks.notNull("name", name), description, tags, expiration, restriction);
  }

  public TokenEdit description(String description) {
    return new TokenEdit(name, Checks.notNull("description", description), tags, expiration, restriction);
  }

  public TokenEdit tags(Map<String, String> tags) {
    return new TokenEdit(name, description, Checks.notNull("tags", tags), expiration, restriction);
  }

  public TokenEdit expiration(Expiration expiration) {
    return new TokenEdit(name, description, tags, Checks.notNull("expiration", expiration), restriction);
  }
}
