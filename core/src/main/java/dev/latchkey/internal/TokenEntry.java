package dev.latchkey.internal;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.IpAddress;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RateLimit;
import dev.latchkey.PrincipalType;
import dev.latchkey.Restriction;
import dev.latchkey.Token;
import dev.latchkey.TokenStatus;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the verifier caches per lookup id: an immutable snapshot of the stored record (less its
 * description and tags, which a verifier never reads), decoded for
 * the hot path (digests as bytes, instants as epoch millis), or "absent". Never the secret, never
 * the token string. The few mutable fields are hot-path memos whose races are benign.
 */
final class TokenEntry {
  /** When the store read began (injected clock, epoch millis). */
  final long loadedAtMillis;
  /** The engine's invalidate-all generation when the store read began. */
  final long generation;
  /** The entry's own lifetime: the token's expiry, the negative TTL or the maximum entry age. */
  final long cacheUntilMillis;
  final TokenRecord record; // null when absent
  final PrincipalRef principal;
  final int typeOrdinal;
  final boolean active;
  final long expiresAtMillis;
  final int currentPepper;
  final byte @Nullable [] currentDigest; // null unless the current hash is of the native scheme
  /** The current hash is an imported bcrypt hash (checked through {@link Bcrypt}). */
  final boolean currentBcrypt;
  final boolean previousBcrypt;
  final int previousPepper;
  final byte @Nullable [] previousDigest;
  final long previousValidUntilMillis;
  /** The token's own rate limit, and its key's as read with it (null: none); {@code limited} if either. */
  final @Nullable RateLimit tokenRateLimit;
  final @Nullable RateLimit keyRateLimit;
  final boolean limited;
  /** The token's API key: the key of its key's rate-limit bucket. */
  final @Nullable ApiKeyRef keyRef;
  /** The key's restriction as read with the token (a key edit that changes it re-announces the token). */
  final Restriction keyRestriction;
  final Restriction tokenRestriction;
  /** Either restriction has an address allow-list: only then is the client address looked at. */
  final boolean restrictsAddress;

  /** The result last returned for this entry and the principal entry it was built from. */
  volatile Memo memo;
  /** When last-used was last noted for this entry (epoch millis). */
  volatile long lastUsedNotedMillis;
  /** Set once an upgrade of the stored hash has been scheduled. */
  volatile boolean rehashScheduled;
  /**
   * The rate-limit buckets this entry last used (the limiter's own holder objects, typed {@code
   * Object} so that this class never refers to the optional Bucket4j): the hot path uses them without
   * a cache lookup for as long as the limiter has not retired them.
   */
  volatile @Nullable Object tokenBucket;
  volatile @Nullable Object keyBucket;
  /** {@link FastSecretCheck} tag of the current secret, set after it passed the HMAC check. */
  volatile byte @Nullable [] currentTag;

  static final class Memo {
    final PrincipalEntry principal;
    final Verified verified;

    Memo(PrincipalEntry principal, Verified verified) {
      this.principal = principal;
      this.verified = verified;
    }
  }

  private TokenEntry(long loadedAtMillis, long generation, long negativeTtlMillis) {
    this.loadedAtMillis = loadedAtMillis;
    this.generation = generation;
    this.cacheUntilMillis = loadedAtMillis + negativeTtlMillis;
    this.record = null;
    this.principal = null;
    this.typeOrdinal = -1;
    this.active = false;
    this.expiresAtMillis = Long.MIN_VALUE;
    this.currentPepper = -1;
    this.currentDigest = null;
    this.currentBcrypt = false;
    this.previousBcrypt = false;
    this.previousPepper = -1;
    this.previousDigest = null;
    this.previousValidUntilMillis = Long.MIN_VALUE;
    this.tokenRateLimit = null;
    this.keyRateLimit = null;
    this.limited = false;
    this.keyRef = null;
    this.keyRestriction = Restriction.NONE;
    this.tokenRestriction = Restriction.NONE;
    this.restrictsAddress = false;
  }

  private TokenEntry(long loadedAtMillis, long generation, TokenRecord record, Restriction keyRestriction,
      long negativeTtlMillis, long maxAgeMillis) {
    this.keyRestriction = keyRestriction;
    this.tokenRestriction = record.token().restriction();
    this.restrictsAddress = keyRestriction.restrictsAddress() || tokenRestriction.restrictsAddress();
    this.loadedAtMillis = loadedAtMillis;
    this.generation = generation;
    this.record = withoutLabels(record);
    this.principal = record.token().owner();
    PrincipalType type = principal.type();
    this.typeOrdinal = type.ordinal();
    this.active = record.token().status() == TokenStatus.ACTIVE;
    Instant expiresAt = record.token().expiresAt();
    this.expiresAtMillis = expiresAt == null ? Long.MAX_VALUE : expiresAt.toEpochMilli();
    long lifetimeEnd = active && expiresAtMillis > loadedAtMillis
        ? Math.min(expiresAtMillis, loadedAtMillis + maxAgeMillis)
        : loadedAtMillis + negativeTtlMillis;
    this.cacheUntilMillis = lifetimeEnd;
    CredentialHash current = record.current();
    this.currentPepper = current.pepperVersion();
    this.currentDigest = SecretHasher.digestOf(current);
    this.currentBcrypt = CredentialHash.BCRYPT.equals(current.scheme());
    CredentialHash previous = record.previous();
    Instant previousValidUntil = record.token().previousValidUntil();
    if (previous != null && previousValidUntil != null) { // both or neither (TokenRecord)
      this.previousPepper = previous.pepperVersion();
      this.previousDigest = SecretHasher.digestOf(previous);
      this.previousBcrypt = CredentialHash.BCRYPT.equals(previous.scheme());
      this.previousValidUntilMillis = previousValidUntil.toEpochMilli();
    } else {
      this.previousPepper = -1;
      this.previousDigest = null;
      this.previousBcrypt = false;
      this.previousValidUntilMillis = Long.MIN_VALUE;
    }
    this.tokenRateLimit = record.token().rateLimit();
    this.keyRateLimit = record.keyRateLimit();
    this.limited = tokenRateLimit != null || keyRateLimit != null;
    this.keyRef = record.token().ref().apiKey();
  }

  /**
   * The record without its description and tags, which a verifier never reads and which can be most
   * of an entry's size (a description may have 1,024 characters). Same version and everything else;
   * code that writes a record back re-reads it from the store first (the hash upgrade does).
   */
  private static TokenRecord withoutLabels(TokenRecord record) {
    Token t = record.token();
    if (t.description().isEmpty() && t.tags().isEmpty()) {
      return record;
    }
    Token slim = new Token(t.ref(), t.lookupId(), t.name(), "", Map.of(), t.createdAt(), t.expiresAt(), t.status(),
        t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version(), t.restriction(), t.rateLimit(),
        t.lastUsedFrom());
    return new TokenRecord(slim, record.current(), record.previous(), record.keyRateLimit());
  }

  static TokenEntry absent(long loadedAtMillis, long generation, long negativeTtlMillis) {
    return new TokenEntry(loadedAtMillis, generation, negativeTtlMillis);
  }

  static TokenEntry of(long loadedAtMillis, long generation, TokenRecord record, Restriction keyRestriction,
      long negativeTtlMillis, long maxAgeMillis) {
    return new TokenEntry(loadedAtMillis, generation, record, keyRestriction, negativeTtlMillis, maxAgeMillis);
  }

  boolean present() {
    return record != null;
  }

  /** Whether a client at {@code address} (null: unknown) passes both allow-lists. Allocates nothing. */
  boolean allowsAddress(@Nullable IpAddress address) {
    return !restrictsAddress || (keyRestriction.allows(address) && tokenRestriction.allows(address));
  }

  String lookupId() {
    return record.lookupId();
  }
}
