package dev.latchkey.jdbc;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Builders of domain records for this module's tests, and one standard data set:
 * account {@code acme} with service account {@code bot} (keys {@code k1}: t1, t2, t3 and {@code k2}:
 * t4) and user {@code alice} (key {@code mine}: t5); account {@code other} with {@code bot}/{@code
 * k1}/t1. Instants carry nanoseconds on purpose.
 */
final class Seed {
  static final Instant T0 = Instant.parse("2031-02-03T04:05:06.123456789Z");
  private static final AtomicLong LOOKUP = new AtomicLong(1_000_000);

  final Principal bot;
  final Principal alice;
  final ApiKey k1;
  final ApiKey k2;
  final ApiKey mine;
  final Map<String, TokenRecord> tokens = new LinkedHashMap<>();

  private Seed(Principal bot, Principal alice, ApiKey k1, ApiKey k2, ApiKey mine) {
    this.bot = bot;
    this.alice = alice;
    this.k1 = k1;
    this.k2 = k2;
    this.mine = mine;
  }

  static Seed standard(TokenStore store) {
    store.insertAccount(account("acme"));
    Principal bot = serviceAccount("acme", "bot");
    Principal alice = user("acme", "alice");
    store.insertPrincipal(bot);
    store.insertPrincipal(alice);
    ApiKey k1 = apiKey(bot.ref(), "k1");
    ApiKey k2 = apiKey(bot.ref(), "k2");
    ApiKey mine = apiKey(alice.ref(), "mine");
    store.insertApiKey(k1, 100);
    store.insertApiKey(k2, 100);
    store.insertApiKey(mine, 100);
    Seed seed = new Seed(bot, alice, k1, k2, mine);
    seed.add(store, token(k1.ref(), "t1"));
    seed.add(store, token(k1.ref(), "t2"));
    seed.add(store, token(k1.ref(), "t3"));
    seed.add(store, token(k2.ref(), "t4"));
    seed.add(store, token(mine.ref(), "t5"));

    store.insertAccount(account("other"));
    Principal otherBot = serviceAccount("other", "bot");
    store.insertPrincipal(otherBot);
    ApiKey otherKey = apiKey(otherBot.ref(), "k1");
    store.insertApiKey(otherKey, 100);
    store.insertToken(token(otherKey.ref(), "t1"), 100, T0);

    // some history in the change feed
    TokenRecord t3 = seed.tokens.get("t3");
    TokenRecord t3b = rotated(t3, hash(2, "t3b"), T0.plusSeconds(60));
    store.updateToken(1, t3b);
    seed.tokens.put("t3", t3b);
    store.updatePrincipal(1, alice.withEnabled(false));
    store.updatePrincipal(2, alice.withEnabled(false).withEnabled(true));
    return seed;
  }

  private void add(TokenStore store, TokenRecord t) {
    store.insertToken(t, 100, T0);
    tokens.put(t.token().ref().id(), t);
  }

  TokenRecord token(String id) {
    return tokens.get(id);
  }

  // ---- builders

  static Account account(String id) {
    return new Account(id, "Account " + id, T0);
  }

  static Principal serviceAccount(String accountId, String id) {
    return new Principal(PrincipalRef.serviceAccount(accountId, id), "SA " + id, "a service account",
        Scope.project(accountId, "org1", "proj1"), Set.of("deployer"), Set.of("deploy", "read"), true, T0, 1);
  }

  static Principal user(String accountId, String id) {
    return new Principal(PrincipalRef.user(accountId, id), "User " + id, "", Scope.account(accountId), Set.of(),
        Set.of("read"), true, T0, 1);
  }

  static ApiKey apiKey(PrincipalRef owner, String id) {
    Scope scope = owner.type() == dev.latchkey.PrincipalType.USER
        ? Scope.account(owner.accountId())
        : Scope.project(owner.accountId(), "org1", "proj1");
    return new ApiKey(new ApiKeyRef(owner, id), "Key " + id, "desc", Map.of("env", "prod"), scope,
        Duration.ofDays(30).plusNanos(7), T0, 1);
  }

  /** A unique 16-character base62-ish lookup id. */
  static String lookupId() {
    String s = Long.toString(LOOKUP.incrementAndGet(), 36);
    return "x" + "0".repeat(15 - s.length()) + s;
  }

  static CredentialHash hash(int pepperVersion, String seed) {
    String payload = (seed.replaceAll("[^0-9A-Za-z_-]", "A") + "A".repeat(43)).substring(0, 43);
    return new CredentialHash(CredentialHash.HMAC_SHA256, pepperVersion, payload);
  }

  static TokenRecord token(ApiKeyRef key, String id) {
    return token(key, id, T0.plus(Duration.ofDays(10)));
  }

  static TokenRecord token(ApiKeyRef key, String id, @Nullable Instant expiresAt) {
    Token t = new Token(new TokenRef(key, id), lookupId(), "Token " + id, "", Map.of("k", "v"), T0, expiresAt,
        TokenStatus.ACTIVE, null, null, null, 1);
    return new TokenRecord(t, hash(1, id), null);
  }

  static TokenRecord rotated(TokenRecord r, CredentialHash newHash, Instant graceEnd) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), T0.plusSeconds(30), graceEnd, t.lastUsedAt(), t.version() + 1);
    return new TokenRecord(next, newHash, r.current());
  }

  static TokenRecord renamed(TokenRecord r, String name) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), name, t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version() + 1);
    return new TokenRecord(next, r.current(), r.previous());
  }

  /** The record with another expiry, version + 1: an update the change feed announces. */
  static TokenRecord expiring(TokenRecord r, Instant expiresAt) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(),
        expiresAt, t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version() + 1);
    return new TokenRecord(next, r.current(), r.previous());
  }

  static TokenRecord revoked(TokenRecord r) {
    Token t = r.token();
    Token next = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        TokenStatus.REVOKED, t.rotatedAt(), null, t.lastUsedAt(), t.version() + 1);
    return new TokenRecord(next, r.current(), null);
  }

  static ApiKey renamed(ApiKey k, String name) {
    return new ApiKey(k.ref(), name, k.description(), k.tags(), k.scope(), k.defaultTokenLifetime(), k.createdAt(),
        k.version() + 1);
  }
}
