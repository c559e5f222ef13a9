package dev.latchkey.internal;

import dev.latchkey.RateLimit;
import dev.latchkey.Restriction;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenStatus;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds a changed copy of a {@link Token}; the version always goes up by one. */
final class TokenCopy {
  private final Token from;
  private String name;
  private String description;
  private Map<String, String> tags;
  private @Nullable Instant expiresAt;
  private TokenStatus status;
  private @Nullable Instant rotatedAt;
  private @Nullable Instant previousValidUntil;
  private Restriction restriction;
  private @Nullable RateLimit rateLimit;

  private TokenCopy(Token from) {
    this.from = from;
    this.name = from.name();
    this.description = from.description();
    this.tags = from.tags();
    this.expiresAt = from.expiresAt();
    this.status = from.status();
    this.rotatedAt = from.rotatedAt();
    this.previousValidUntil = from.previousValidUntil();
    this.restriction = from.restriction();
    this.rateLimit = from.rateLimit();
  }

  static TokenCopy of(Token token) {
    return new TokenCopy(token);
  }

  /** Takes the name, description, tags, restriction and rate limit an edit sets; what it leaves null stays. */
  TokenCopy labels(TokenEdit edit) {
    name = Edits.or(edit.name(), name);
    description = Edits.or(edit.description(), description);
    tags = Edits.or(edit.tags(), tags);
    restriction = Edits.or(edit.restriction(), restriction);
    if (edit.editsRateLimit()) {
      rateLimit = edit.rateLimit();
    }
    return this;
  }

  TokenCopy name(String v) {
    name = v;
    return this;
  }

  TokenCopy description(String v) {
    description = v;
    return this;
  }

  TokenCopy tags(Map<String, String> v) {
    tags = v;
    return this;
  }

  TokenCopy expiresAt(@Nullable Instant v) {
    expiresAt = v;
    return this;
  }

  TokenCopy status(TokenStatus v) {
    status = v;
    return this;
  }

  TokenCopy rotatedAt(@Nullable Instant v) {
    rotatedAt = v;
    return this;
  }

  TokenCopy previousValidUntil(@Nullable Instant v) {
    previousValidUntil = v;
    return this;
  }

  Token build() {
    return new Token(from.ref(), from.lookupId(), name, description, tags, from.createdAt(), expiresAt,
        status, rotatedAt, previousValidUntil, from.lastUsedAt(), from.version() + 1, restriction, rateLimit,
        from.lastUsedFrom());
  }
}
