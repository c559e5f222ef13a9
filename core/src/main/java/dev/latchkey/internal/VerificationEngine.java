package dev.latchkey.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.latchkey.AuditAction;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationResult;
import dev.latchkey.VerificationStats;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifier: shape and checksum, cache, store, status, principal, expiry, HMAC, result.
 *
 * <p>Staleness rule. Every cache entry records when its store read began. An entry is used only if
 * it was read after the last full invalidation and if {@code now - max(readStart, lastPollStart)}
 * is within the staleness bound, where {@code lastPollStart} is when the last successful change-feed
 * poll began (all changes committed before then have been applied). If the poller stalls, entries
 * age out and are re-read: the bound holds whether or not the feed works. Mutations through this
 * node invalidate the affected keys directly; Caffeine makes an invalidation wait for an in-flight
 * load of the same key, so a load that read the old state cannot be cached after it.
 */
public final class VerificationEngine implements TokenVerifier {
  private static final Logger log = LoggerFactory.getLogger(VerificationEngine.class);

  private static final Rejected MALFORMED = Rejected.of(RejectReason.MALFORMED);
  private static final Rejected UNKNOWN = Rejected.of(RejectReason.UNKNOWN);
  private static final Rejected BAD_SECRET = Rejected.of(RejectReason.BAD_SECRET);
  private static final Rejected EXPIRED = Rejected.of(RejectReason.EXPIRED);
  private static final Rejected REVOKED = Rejected.of(RejectReason.REVOKED);
  private static final Rejected DISABLED = Rejected.of(RejectReason.DISABLED);
  private static final Rejected STORE_ERROR = Rejected.of(RejectReason.STORE_ERROR);

  private final TokenStore store;
  private final TokenCodec codec;
  private final SecretHasher hasher;
  private final Clock clock;
  private final VerificationListener listener;
  private final boolean hasListener;
  private final Executor background;
  private final Audit audit;
  private final LastUsedRecorder lastUsed;
  private final long boundNanos;
  private final long negativeTtlNanos;
  private final long maxEntryAgeNanos;
  private final int secretStart;
  private final int idStart;

  private final Cache<String, TokenEntry> tokens;
  private final Cache<PrincipalRef, PrincipalEntry> principals;
  private final ThreadLocal<Scratch> scratch;

  private volatile long lastPollStartNanos;
  private volatile long allInvalidatedAtNanos;

  private final LongAdder valid = new LongAdder();
  private final LongAdder[] rejected = new LongAdder[RejectReason.values().length];
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder storeErrors = new LongAdder();

  /** Per-thread buffers so that parsing and hashing allocate nothing. */
  private static final class Scratch {
    final byte[] buf;
    final CRC32 crc = new CRC32();
    final byte[] digest = new byte[SecretHasher.DIGEST_BYTES];

    Scratch(int length) {
      buf = new byte[length];
    }
  }

  VerificationEngine(
      TokenStore store,
      TokenCodec codec,
      SecretHasher hasher,
      Clock clock,
      VerificationListener listener,
      Executor background,
      Audit audit,
      VerifierSettings settings) {
    this.store = store;
    this.codec = codec;
    this.hasher = hasher;
    this.clock = clock;
    this.listener = listener;
    this.hasListener = listener != VerificationListener.NONE;
    this.background = background;
    this.audit = audit;
    this.boundNanos = settings.stalenessBound().toNanos();
    this.negativeTtlNanos = settings.negativeCacheTtl().toNanos();
    this.maxEntryAgeNanos = settings.maxCacheEntryAge().toNanos();
    this.secretStart = codec.secretStart();
    this.idStart = codec.idStart();
    this.lastUsed = new LastUsedRecorder(store, background, settings.lastUsedFlushInterval().toMillis(),
        settings.lastUsedBatchSize());
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = new LongAdder();
    }
    long created = System.nanoTime();
    this.allInvalidatedAtNanos = created - 1;
    this.lastPollStartNanos = created;
    int length = codec.length();
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(length));
    this.tokens = Caffeine.newBuilder()
        .maximumSize(settings.cacheMaximumSize())
        .expireAfter(new Expiry<String, TokenEntry>() {
          @Override
          public long expireAfterCreate(String key, TokenEntry value, long currentTime) {
            return tokenLifetimeNanos(value);
          }

          @Override
          public long expireAfterUpdate(String key, TokenEntry value, long currentTime, long currentDuration) {
            return tokenLifetimeNanos(value);
          }

          @Override
          public long expireAfterRead(String key, TokenEntry value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
    this.principals = Caffeine.newBuilder()
        .maximumSize(settings.cacheMaximumSize())
        .expireAfter(new Expiry<PrincipalRef, PrincipalEntry>() {
          @Override
          public long expireAfterCreate(PrincipalRef key, PrincipalEntry value, long currentTime) {
            return value.principal == null ? negativeTtlNanos : maxEntryAgeNanos;
          }

          @Override
          public long expireAfterUpdate(PrincipalRef key, PrincipalEntry value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
          }

          @Override
          public long expireAfterRead(PrincipalRef key, PrincipalEntry value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
  }

  private long tokenLifetimeNanos(TokenEntry e) {
    if (!e.present() || !e.active) {
      return negativeTtlNanos;
    }
    long untilExpiryMillis = e.expiresAtMillis == Long.MAX_VALUE ? Long.MAX_VALUE : e.expiresAtMillis - clock.millis();
    if (untilExpiryMillis <= 0) {
      return negativeTtlNanos;
    }
    return untilExpiryMillis >= maxEntryAgeNanos / 1_000_000 ? maxEntryAgeNanos : untilExpiryMillis * 1_000_000;
  }

  @Override
  public VerificationResult verify(CharSequence presented) {
    VerificationResult result = check(presented);
    if (result instanceof Rejected r) {
      rejected[r.reason().ordinal()].increment();
    } else {
      valid.increment();
    }
    if (hasListener) {
      try {
        listener.onResult(result);
      } catch (RuntimeException ignored) {
        // a metrics hook must not break verification
      }
    }
    return result;
  }

  private VerificationResult check(CharSequence presented) {
    Scratch s = scratch.get();
    int kind = codec.parse(presented, s.buf, s.crc);
    if (kind < 0) {
      return MALFORMED;
    }
    String lookupId = new String(s.buf, idStart, TokenFormat.ID_LENGTH, StandardCharsets.ISO_8859_1);
    long nowNanos = System.nanoTime();
    TokenEntry token;
    try {
      token = tokenEntry(lookupId, nowNanos);
    } catch (RuntimeException e) {
      return storeError(e);
    }
    if (!token.present() || token.typeOrdinal != kind) {
      return UNKNOWN;
    }
    if (!token.active) {
      return REVOKED;
    }
    long nowMillis = clock.millis();
    if (nowMillis >= token.expiresAtMillis) {
      return EXPIRED;
    }
    PrincipalEntry principal;
    try {
      principal = principalEntry(token.principal, nowNanos);
    } catch (RuntimeException e) {
      return storeError(e);
    }
    if (!principal.usable()) {
      return DISABLED;
    }
    byte[] buf = s.buf;
    if (token.currentDigest != null
        && hasher.matches(token.currentPepper, token.currentDigest, buf, secretStart, TokenFormat.SECRET_LENGTH, s.digest)) {
      if (token.currentPepper != hasher.primaryVersion() && !token.rehashScheduled) {
        scheduleRehash(token, buf);
      }
    } else if (token.previousDigest == null
        || nowMillis >= token.previousValidUntilMillis
        || !hasher.matches(token.previousPepper, token.previousDigest, buf, secretStart, TokenFormat.SECRET_LENGTH, s.digest)) {
      return BAD_SECRET;
    }
    lastUsed.note(token, nowMillis);
    return verified(token, principal);
  }

  private Verified verified(TokenEntry token, PrincipalEntry principal) {
    TokenEntry.Memo memo = token.memo;
    if (memo != null && memo.principal == principal) {
      return memo.verified;
    }
    var p = principal.principal;
    var t = token.record.token();
    Verified v = new Verified(p.ref(), p.scope(), p.roles(), p.permissions(), t.ref(), t.lookupId(), t.expiresAt());
    token.memo = new TokenEntry.Memo(principal, v);
    return v;
  }

  private VerificationResult storeError(RuntimeException e) {
    storeErrors.increment();
    log.warn("token store failed during verification; rejecting (fail closed): {}", e.getClass().getName());
    if (hasListener) {
      try {
        listener.onStoreError(e);
      } catch (RuntimeException ignored) {
        // ignore
      }
    }
    return STORE_ERROR;
  }

  private boolean isFresh(long loadedAtNanos, long nowNanos) {
    return loadedAtNanos - allInvalidatedAtNanos > 0
        && nowNanos - Math.max(loadedAtNanos, lastPollStartNanos) <= boundNanos;
  }

  private TokenEntry tokenEntry(String lookupId, long nowNanos) {
    TokenEntry e = tokens.getIfPresent(lookupId);
    if (e != null) {
      if (isFresh(e.loadedAtNanos, nowNanos)) {
        hit();
        return e;
      }
      tokens.asMap().remove(lookupId, e);
    }
    miss();
    return tokens.get(lookupId, this::loadToken);
  }

  private TokenEntry loadToken(String lookupId) {
    long start = System.nanoTime();
    return store.findTokenByLookupId(lookupId)
        .map(r -> TokenEntry.of(start, r))
        .orElseGet(() -> TokenEntry.absent(start));
  }

  private PrincipalEntry principalEntry(PrincipalRef ref, long nowNanos) {
    PrincipalEntry e = principals.getIfPresent(ref);
    if (e != null) {
      if (isFresh(e.loadedAtNanos, nowNanos)) {
        return e;
      }
      principals.asMap().remove(ref, e);
    }
    return principals.get(ref, this::loadPrincipal);
  }

  private PrincipalEntry loadPrincipal(PrincipalRef ref) {
    long start = System.nanoTime();
    return new PrincipalEntry(start, store.findPrincipal(ref).orElse(null));
  }

  private void hit() {
    hits.increment();
    if (hasListener) {
      listener.onCacheHit();
    }
  }

  private void miss() {
    misses.increment();
    if (hasListener) {
      listener.onCacheMiss();
    }
  }

  /** Re-hash under the primary pepper; the store write happens in the background, compare-and-set. */
  private void scheduleRehash(TokenEntry token, byte[] buf) {
    token.rehashScheduled = true;
    CredentialHash upgraded = hasher.hash(buf, secretStart, TokenFormat.SECRET_LENGTH);
    TokenRecord before = token.record;
    String lookupId = before.lookupId();
    int fromVersion = before.current().pepperVersion();
    TokenRecord after = new TokenRecord(TokenCopy.of(before.token()).build(), upgraded, before.previous());
    Runnable write = () -> {
      try {
        if (store.updateToken(before.version(), after)) {
          invalidateToken(lookupId);
          audit.emit("system", AuditAction.TOKEN_REHASHED, before.token().owner().accountId(),
              before.token().ref().toString(),
              Map.of("fromPepper", Integer.toString(fromVersion), "toPepper", Integer.toString(upgraded.pepperVersion())));
        }
      } catch (RuntimeException e) {
        log.warn("could not upgrade the hash of token lookupId={}: {}", lookupId, e.getClass().getName());
      }
    };
    try {
      background.execute(write);
    } catch (RejectedExecutionException e) {
      log.debug("background executor closed; hash upgrade of lookupId={} skipped", lookupId);
    }
  }

  // ---- invalidation, used by the manager (local mutations) and the change-feed poller

  public void invalidateToken(String lookupId) {
    tokens.invalidate(lookupId);
  }

  public void invalidateTokens(Collection<String> lookupIds) {
    for (String id : lookupIds) {
      tokens.invalidate(id);
    }
  }

  public void invalidatePrincipal(PrincipalRef ref) {
    principals.invalidate(ref);
  }

  public void invalidatePrincipals(Collection<PrincipalRef> refs) {
    for (PrincipalRef ref : refs) {
      principals.invalidate(ref);
    }
  }

  /** Forgets everything, including loads in flight (they will not be trusted). */
  public void invalidateAll() {
    allInvalidatedAtNanos = System.nanoTime();
    tokens.invalidateAll();
    principals.invalidateAll();
  }

  /** A change-feed poll that began at {@code startNanos} completed and its changes were applied. */
  void markPolled(long startNanos) {
    if (startNanos - lastPollStartNanos > 0) {
      lastPollStartNanos = startNanos;
    }
  }

  LastUsedRecorder lastUsed() {
    return lastUsed;
  }

  public long estimatedCacheSize() {
    return tokens.estimatedSize();
  }

  public VerificationStats stats() {
    Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
    for (RejectReason r : RejectReason.values()) {
      byReason.put(r, rejected[r.ordinal()].sum());
    }
    return new VerificationStats(valid.sum(), byReason, hits.sum(), misses.sum(), storeErrors.sum());
  }
}
