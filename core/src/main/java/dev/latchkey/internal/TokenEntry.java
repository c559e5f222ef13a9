package dev.latchkey.internal;

import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenStatus;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the verifier caches per lookup id: an immutable snapshot of the stored record, decoded for
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

  /** The result last returned for this entry and the principal entry it was built from. */
  volatile Memo memo;
  /** When last-used was last noted for this entry (epoch millis). */
  volatile long lastUsedNotedMillis;
  /** Set once an upgrade of the stored hash has been scheduled. */
  volatile boolean rehashScheduled;
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
  }

  private TokenEntry(long loadedAtMillis, long generation, TokenRecord record, long negativeTtlMillis,
      long maxAgeMillis) {
    this.loadedAtMillis = loadedAtMillis;
    this.generation = generation;
    this.record = record;
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
  }

  static TokenEntry absent(long loadedAtMillis, long generation, long negativeTtlMillis) {
    return new TokenEntry(loadedAtMillis, generation, negativeTtlMillis);
  }

  static TokenEntry of(long loadedAtMillis, long generation, TokenRecord record, long negativeTtlMillis,
      long maxAgeMillis) {
    return new TokenEntry(loadedAtMillis, generation, record, negativeTtlMillis, maxAgeMillis);
  }

  boolean present() {
    return record != null;
  }

  String lookupId() {
    return record.lookupId();
  }
}
