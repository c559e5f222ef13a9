package dev.latchkey;

import java.util.Map;

/** A token to issue under an API key. Its value is returned once, in {@link IssuedToken}. */
public record NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration) {
  public NewToken {
    Checks.notNull("token", ref);
    Checks.name("token name", name);
    description = Checks.description("token description", description);
    tags = Checks.tags(tags);
    Checks.notNull("expiration", expiration);
  }

  public static NewToken of(ApiKeyRef apiKey, String id, String name) {
    return new NewToken(new TokenRef(apiKey, id), name, "", Map.of(), Expiration.defaultLifetime());
  }

  public NewToken withDescription(String description) {
    return new NewToken(ref, name, description, tags, expiration);
  }

  public NewToken withTags(Map<String, String> tags) {
    return new NewToken(ref, name, description, tags, expiration);
  }

  public NewToken expiring(Expiration expiration) {
    return new NewToken(ref, name, description, tags, expiration);
  }
}
