package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A token to issue under an API key. Its value is returned once, in {@link IssuedToken}.
 *
 * @param rateLimit the token's own rate limit; null for none
 */
public record NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration,
    @Nullable RateLimit rateLimit) {
  public NewToken {
    Checks.notNull("token", ref);
    Checks.name("token name", name);
    description = Checks.description("token description", description);
    tags = Checks.tags(tags);
    Checks.notNull("expiration", expiration);
  }

  /** Without a rate limit. */
  public NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration) {
    this(ref, name, description, tags, expiration, null);
  }

  public static NewToken of(ApiKeyRef apiKey, String id, String name) {
    return new NewToken(new TokenRef(apiKey, id), name, "", Map.of(), Expiration.defaultLifetime());
  }

  public NewToken withDescription(String description) {
    return new NewToken(ref, name, description, tags, expiration, rateLimit);
  }

  public NewToken withTags(Map<String, String> tags) {
    return new NewToken(ref, name, description, tags, expiration, rateLimit);
  }

  public NewToken expiring(Expiration expiration) {
    return new NewToken(ref, name, description, tags, expiration, rateLimit);
  }

  public NewToken withRateLimit(RateLimit rateLimit) {
    return new NewToken(ref, name, description, tags, expiration, Checks.notNull("rateLimit", rateLimit));
  }
}
