package dev.latchkey;

import java.util.Map;

/**
 * A token to issue under an API key. Its value is returned once, in {@link IssuedToken}.
 *
 * @param restriction what the token is narrowed to; it may name only permissions and roles its
 *     principal holds (and its key's restriction allows): anything else is refused with {@link
 *     InvalidArgumentException}
 */
public record NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration,
    Restriction restriction) {
  public NewToken {
    Checks.notNull("token", ref);
    Checks.name("token name", name);
    description = Checks.description("token description", description);
    tags = Checks.tags(tags);
    Checks.notNull("expiration", expiration);
    Checks.notNull("restriction", restriction);
  }

  public NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration) {
    this(ref, name, description, tags, expiration, Restriction.NONE);
  }

  public NewToken restrictedTo(Restriction restriction) {
    return new NewToken(ref, name, description, tags, expiration, restriction);
  }

  public static NewToken of(ApiKeyRef apiKey, String id, String name) {
    return new NewToken(new TokenRef(apiKey, id), name, "", Map.of(), Expiration.defaultLifetime());
  }

  public NewToken withDescription(String description) {
    return new NewToken(ref, name, description, tags, expiration, restriction);
  }

  public NewToken withTags(Map<String, String> tags) {
    return new NewToken(ref, name, description, tags, expiration, restriction);
  }

  public NewToken expiring(Expiration expiration) {
    return new NewToken(ref, name, description, tags, expiration, restriction);
  }
}
