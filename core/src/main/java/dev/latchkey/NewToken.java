package dev.latchkey;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A token to issue under an API key. Its value is returned once, in {@link IssuedToken}.
 *
 * @param restriction what the token is narrowed to; it may name only permissions and roles its
 *     principal holds (and its key's restriction allows): anything else is refused with {@link
 *     InvalidArgumentException}
 * @param rateLimit the token's own rate limit; null for none
 */
public record NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration,
    Restriction restriction, @Nullable RateLimit rateLimit) {
  public NewToken {
    Checks.notNull("token", ref);
    Checks.name("token name", name);
    description = Checks.description("token description", description);
    tags = Checks.tags(tags);
    Checks.notNull("expiration", expiration);
    Checks.notNull("restriction", restriction);
  }

  /** Unrestricted, without a rate limit. */
  public NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration) {
    this(ref, name, description, tags, expiration, Restriction.NONE, null);
  }

  /** Without a rate limit. */
  public NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration,
      Restriction restriction) {
    this(ref, name, description, tags, expiration, restriction, null);
  }

  /** Unrestricted. */
  public NewToken(TokenRef ref, String name, String description, Map<String, String> tags, Expiration expiration,
      @Nullable RateLimit rateLimit) {
    this(ref, name, description, tags, expiration, Restriction.NONE, rateLimit);
  }

  public static NewToken of(ApiKeyRef apiKey, String id, String name) {
    return new NewToken(new TokenRef(apiKey, id), name, "", Map.of(), Expiration.defaultLifetime());
  }

  public NewToken restrictedTo(Restriction restriction) {
    return new NewToken(ref, name, description, tags, expiration, restriction, rateLimit);
  }

  public NewToken withDescription(String description) {
    return new NewToken(ref, name, description, tags, expiration, restriction, rateLimit);
  }

  public NewToken withTags(Map<String, String> tags) {
    return new NewToken(ref, name, description, tags, expiration, restriction, rateLimit);
  }

  public NewToken expiring(Expiration expiration) {
    return new NewToken(ref, name, description, tags, expiration, restriction, rateLimit);
  }

  public NewToken withRateLimit(RateLimit rateLimit) {
    return new NewToken(ref, name, description, tags, expiration, restriction, Checks.notNull("rateLimit", rateLimit));
  }
}
