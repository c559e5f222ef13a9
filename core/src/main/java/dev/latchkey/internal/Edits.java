package dev.latchkey.internal;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.TokenRecord;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a stored value becomes after a change: what an edit leaves empty stays, identifiers and scopes
 * never change, and the version goes up by one (the store's compare-and-set relies on it).
 */
final class Edits {
  private Edits() {}

  static Principal edited(Principal p, PrincipalEdit edit) {
    return new Principal(p.ref(), or(edit.name(), p.name()), or(edit.description(), p.description()), p.scope(),
        or(edit.roles(), p.roles()), or(edit.permissions(), p.permissions()), p.enabled(), p.createdAt(),
        p.version() + 1);
  }

  static ApiKey edited(ApiKey k, ApiKeyEdit edit) {
    return new ApiKey(k.ref(), or(edit.name(), k.name()), or(edit.description(), k.description()),
        or(edit.tags(), k.tags()), k.scope(), k.defaultTokenLifetime(), k.createdAt(), k.version() + 1);
  }

  /** What an edit sets, or, where it sets nothing (null), what was there. */
  static <T> T or(@Nullable T edited, T before) {
    return edited != null ? edited : before;
  }

  /** An edit that leaves the expiry as it is. */
  static TokenRecord edited(TokenRecord before, TokenEdit edit) {
    return new TokenRecord(TokenCopy.of(before.token()).labels(edit).build(), before.current(), before.previous());
  }

  /**
   * An edit with a new expiry ({@code expiresAt}, null: never), which also ends a rotation's grace
   * period early if it ran longer: the old secret never outlives the token.
   */
  static TokenRecord edited(TokenRecord before, TokenEdit edit, @Nullable Instant expiresAt, Instant now) {
    Token t = before.token();
    Instant graceEnd = CredentialRules.capGrace(t.previousValidUntil(), expiresAt, now);
    Token after = TokenCopy.of(t).labels(edit).expiresAt(expiresAt).previousValidUntil(graceEnd).build();
    return new TokenRecord(after, before.current(), graceEnd != null ? before.previous() : null);
  }

  /** Revoked: the previous secret's grace ends with it. */
  static TokenRecord revoked(TokenRecord before) {
    Token after = TokenCopy.of(before.token()).status(TokenStatus.REVOKED).previousValidUntil(null).build();
    return new TokenRecord(after, before.current(), null);
  }
}
