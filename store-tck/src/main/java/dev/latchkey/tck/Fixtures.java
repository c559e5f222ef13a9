package dev.latchkey.tck;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.IpAddress;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.Restriction;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Builders of valid domain records for the contract tests. Instants carry nanoseconds on purpose. */
public final class Fixtures {
  /** A fixed instant with nanosecond precision: stores must round-trip it exactly. */
  public static final Instant T0 = Instant.parse("2030-01-01T00:00:00.123456789Z");

  private Fixtures() {}

  public static Account account(String id) {
    return new Account(id, "Account " + id, T0);
  }

  public static Principal serviceAccount(String accountId, String id) {
    return new Principal(PrincipalRef.serviceAccount(accountId, id), "SA " + id, "a service account",
        Scope.project(accountId, "org1", "proj1"), Set.of("deployer"), Set.of("deploy", "read"), true, T0, 1);
  }

  public static Principal user(String accountId, String id) {
    return new Principal(PrincipalRef.user(accountId, id), "User " + id, "", Scope.account(accountId),
        Set.of(), Set.of("read"), true, T0, 1);
  }

  public static ApiKey apiKey(PrincipalRef owner, String id) {
    Scope scope = owner.type() == dev.latchkey.PrincipalType.USER
        ? Scope.account(owner.accountId()) : Scope.project(owner.accountId(), "org1", "proj1");
    return new ApiKey(new ApiKeyRef(owner, id), "Key " + id, "desc", Map.of("env", "prod", "team", "a"), scope,
        Duration.ofDays(30), T0, 1);
  }

  /** A unique 16-character base62 lookup id. */
  public static String lookupId() {
    return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  public static CredentialHash hash(int pepperVersion, String seed) {
    String payload = (seed + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").substring(0, 43).replaceAll("[^0-9A-Za-z_-]", "A");
    return new CredentialHash(CredentialHash.HMAC_SHA256, pepperVersion, payload);
  }

  public static TokenRecord token(ApiKeyRef key, String id) {
    return token(key, id, T0.plus(Duration.ofDays(10)));
  }

  public static TokenRecord token(ApiKeyRef key, String id, @Nullable Instant expiresAt) {
    Token t = new Token(new TokenRef(key, id), lookupId(), "Token " + id, "", Map.of("k", "v"), T0, expiresAt,
        TokenStatus.ACTIVE, null, null, null, 1);
    return new TokenRecord(t, hash(1, id), null);
  }

  /** A token with the given lookup id (16 base62 characters). */
  public static TokenRecord token(ApiKeyRef key, String id, String lookupId) {
    Token t = new Token(new TokenRef(key, id), lookupId, "Token " + id, "", Map.of("k", "v"), T0,
        T0.plus(Duration.ofDays(10)), TokenStatus.ACTIVE, null, null,
        null, 1);
    return new TokenRecord(t, hash(1, id), null);
  }

  /** The record after a rotation: new hash, previous kept until {@code graceEnd}, version + 1. */
  public static TokenRecord rotated(TokenRecord r, CredentialHash newHash, Instant graceEnd) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), T0.plusSeconds(60), graceEnd, t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, newHash, r.current());
  }

  public static TokenRecord withStatus(TokenRecord r, TokenStatus status) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        status, t.rotatedAt(), null, t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, r.current(), null);
  }

  public static TokenRecord withName(TokenRecord r, String name, Map<String, String> tags) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), name, t.description(), tags, t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, r.current(), r.previous());
  }

  /** The record with another expiry (empty: it never expires), version + 1. */
  public static TokenRecord withExpiry(TokenRecord r, @Nullable Instant expiresAt) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), expiresAt,
        t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, r.current(), r.previous());
  }

  /** The record with its previous hash kept until {@code graceEnd} (it must have one), version + 1. */
  public static TokenRecord withGraceUntil(TokenRecord r, Instant graceEnd) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), graceEnd, t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, r.current(), r.previous());
  }

  /** The record with its grace period over: no previous hash and no grace end, version + 1. */
  public static TokenRecord withGraceEnded(TokenRecord r) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), null, t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, r.current(), null);
  }

  /** The record with only its current hash replaced, as a pepper upgrade does, version + 1. */
  public static TokenRecord rehashed(TokenRecord r, CredentialHash newHash) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, newHash, r.previous());
  }

  /** The record with name, description and tags replaced, version + 1. */
  public static TokenRecord withText(TokenRecord r, String name, String description, Map<String, String> tags) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), name, description, tags, t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version() + 1, t.restriction());
    return new TokenRecord(next, r.current(), r.previous());
  }

  /** The principal with other roles and permissions, version + 1. */
  public static Principal withGrants(Principal p, Set<String> roles, Set<String> permissions) {
    return new Principal(p.ref(), p.name(), p.description(), p.scope(), roles, permissions, p.enabled(),
        p.createdAt(), p.version() + 1);
  }

  /** The principal at another scope, version + 1. */
  public static Principal withScope(Principal p, Scope scope) {
    return new Principal(p.ref(), p.name(), p.description(), scope, p.roles(), p.permissions(), p.enabled(),
        p.createdAt(), p.version() + 1);
  }

  /** The principal with another name and description, version + 1. */
  public static Principal withText(Principal p, String name, String description) {
    return new Principal(p.ref(), name, description, p.scope(), p.roles(), p.permissions(), p.enabled(),
        p.createdAt(), p.version() + 1);
  }

  /** The key with name, description, tags and default token lifetime replaced, version + 1. */
  public static ApiKey edited(ApiKey k, String name, String description, Map<String, String> tags,
      @Nullable Duration defaultTokenLifetime) {
    return new ApiKey(k.ref(), name, description, tags, k.scope(), defaultTokenLifetime, k.createdAt(),
        k.version() + 1, k.restriction());
  }

  public static TokenRecord withLastUsed(TokenRecord r, Instant lastUsed) {
    return withLastUsed(r, lastUsed, null);
  }

  /** The record as the last-used sink leaves it: time and address of the last use, same version. */
  public static TokenRecord withLastUsed(TokenRecord r, Instant lastUsed, @Nullable IpAddress from) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), lastUsed, t.version(), t.restriction(), t.rateLimit(), from);
    return new TokenRecord(next, r.current(), r.previous());
  }

  /** The token with another restriction, version + 1. */
  public static TokenRecord withRestriction(TokenRecord r, Restriction restriction) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version() + 1, restriction);
    return new TokenRecord(next, r.current(), r.previous());
  }

  /** The key with another restriction, version + 1. */
  public static ApiKey withRestriction(ApiKey k, Restriction restriction) {
    return new ApiKey(k.ref(), k.name(), k.description(), k.tags(), k.scope(), k.defaultTokenLifetime(),
        k.createdAt(), k.version() + 1, restriction);
  }
}
