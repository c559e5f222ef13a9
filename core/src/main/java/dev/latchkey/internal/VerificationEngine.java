package dev.latchkey.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.latchkey.AuditAction;
import dev.latchkey.IpAddress;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RateLimited;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.RequestContext;
import dev.latchkey.Restriction;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationResult;
import dev.latchkey.VerificationStats;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The verifier: shape and checksum, cache, store, secret, status, expiry, principal, address,
 * result. A token entry carries its key's restriction, read with the token on a miss (one more point
 * read); the result's roles and permissions are the principal's narrowed by both restrictions,
 * memoized per principal entry, so the hit allocates nothing and a principal change is seen at once.
 *
 * <p><b>Cache.</b> Three Caffeine caches, bounded by size: verification records of known tokens by
 * lookup id (never by token string), principals by reference, and, apart, lookup ids the store does
 * not know. Unknown ids cost an attacker nothing to make (a checksum is public arithmetic), so they
 * get their own small cache: a flood of them evicts other unknown ids, never a known token's record.
 * A token entry links to the principal entry it was last verified with, so a hit costs one cache
 * lookup. Concurrent misses for one key share one store read (Caffeine's per-key compute; for an
 * unknown id, the later loads find the first one's negative entry). Store errors propagate out of
 * the load, so they are never cached, and verification fails closed. The store's answer counts only
 * for the lookup id asked for, byte for byte: a record filed under another spelling (a store that
 * compares case-insensitively) is treated as absent, because the cache and every invalidation key
 * on the exact id.
 *
 * <p><b>When an entry may be used.</b> All times come from the injected {@link Clock}, read once per
 * verification. An entry is used only if (1) it is within its own lifetime: the token's expiry, or
 * the negative TTL for unknown ids and revoked tokens, and never longer than the maximum entry age;
 * (2) no invalidate-all happened since its store read began; and (3) {@code now - max(readStart,
 * lastPollStart) <= stalenessBound}, where {@code lastPollStart} is when the last successful
 * change-feed poll began: every change committed before then has been applied. If the feed cannot
 * be read, entries age out after the bound and are re-read, so the bound holds either way. A clock
 * that moves backwards makes entries look stale, never fresher. Entries past their lifetime are
 * also swept from memory in the background.
 *
 * <p><b>Local mutations</b> invalidate the affected keys before the management call returns.
 * Caffeine makes an invalidation wait for an in-flight load of the same key, so a load that read
 * the old state cannot be cached after the invalidation.
 *
 * <p><b>Secrets.</b> The first successful check of a secret on this node uses HMAC against the
 * stored hash (or bcrypt, for an imported legacy hash not yet upgraded); later checks of the same
 * token use {@link FastSecretCheck}. A match against a hash that is not HMAC under the primary
 * pepper schedules a compare-and-set re-hash under the primary.
 *
 * <p><b>Order, and timing.</b> For a known lookup id the secret is checked first, and only then the
 * status, expiry, principal and client address (allow-lists): the rejection reasons {@code REVOKED},
 * {@code EXPIRED}, {@code DISABLED} and {@code ADDRESS_NOT_ALLOWED} mean "the right secret, but...", and a wrong secret is {@code BAD_SECRET} whatever the
 * token's state. A wrong secret costs the same work on every known id, so that timing does not tell
 * whether a known id is active, revoked, expired or disabled: one fast-check tag (against the
 * entry's tag, or a dummy when it has none) and two HMACs (the current hash, then the previous one,
 * each against a dummy digest when there is none). Only a correct secret, which its presenter
 * already knows, takes a different path. Imported bcrypt hashes not yet upgraded are the exception:
 * bcrypt runs only for live tokens presented in the legacy form (a dead token is not worth
 * milliseconds of CPU), so the timing of a legacy token tells whether it is live.
 */
final class VerificationEngine implements TokenVerifier {
  private static final Logger log = LoggerFactory.getLogger(VerificationEngine.class);

  private static final Rejected MALFORMED = Rejected.of(RejectReason.MALFORMED);
  private static final Rejected UNKNOWN = Rejected.of(RejectReason.UNKNOWN);
  private static final Rejected BAD_SECRET = Rejected.of(RejectReason.BAD_SECRET);
  private static final Rejected EXPIRED = Rejected.of(RejectReason.EXPIRED);
  private static final Rejected REVOKED = Rejected.of(RejectReason.REVOKED);
  private static final Rejected DISABLED = Rejected.of(RejectReason.DISABLED);
  private static final Rejected STORE_ERROR = Rejected.of(RejectReason.STORE_ERROR);
  private static final Rejected BUSY = Rejected.of(RejectReason.BUSY);
  private static final Rejected THROTTLED = Rejected.of(RejectReason.THROTTLED);
  private static final Rejected RATE_LIMIT_UNAVAILABLE = Rejected.of(RejectReason.RATE_LIMIT_UNAVAILABLE);
  private static final Rejected ADDRESS_NOT_ALLOWED = Rejected.of(RejectReason.ADDRESS_NOT_ALLOWED);

  /** What the secret check found (see {@link #checkSecret}). */
  private static final int SECRET_TAG = 0;
  private static final int SECRET_CURRENT = 1;
  private static final int SECRET_PREVIOUS = 2;
  private static final int SECRET_WRONG = 3;
  private static final int SECRET_BUSY = 4;
  private static final int SECRET_THROTTLED = 5;
  /** A dead token's bcrypt hash, not run: the answer is the token's state. */
  private static final int SECRET_NOT_CHECKED = 6;

  /** What a lookup returns for an id the store does not have (the entry itself is in {@link #unknown}). */
  private static final TokenEntry ABSENT = TokenEntry.absent(Long.MIN_VALUE, -1, 0);

  private final TokenStore store;
  private final TokenCodec codec;
  private final SecretHasher hasher;
  private final FastSecretCheck fast;
  private final Bcrypt bcrypt;
  private final boolean acceptLegacy;
  private final Clock clock;
  private final VerificationListener listener;
  private final boolean hasListener;
  private final Executor background;
  private final Audit audit;
  private final LastUsedRecorder lastUsed;
  private final RateLimiter limiter;
  private final long boundMillis;
  private final long negativeTtlMillis;
  private final long maxEntryAgeMillis;
  private final int secretStart;
  private final int idStart;

  private final Cache<String, TokenEntry> tokens;
  private final Cache<String, TokenEntry> unknown;
  private final Cache<PrincipalRef, PrincipalEntry> principals;
  private final ThreadLocal<Scratch> scratch;
  /** As long as a scratch buffer: copied over it after every verification. */
  private final byte[] zeros;
  /** Compared against when an entry has no fast-check tag, so that the tag is computed all the same. */
  private final byte[] noTag = new byte[FastSecretCheck.TAG_BYTES];

  private volatile long lastPollStartMillis;
  private volatile long generation;

  private final LongAdder valid = new LongAdder();
  private final LongAdder[] rejected = new LongAdder[RejectReason.values().length];
  private final LongAdder misses = new LongAdder();
  private final LongAdder storeErrors = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();

  /** Per-thread buffers, so that parsing, lookup and hashing allocate nothing. */
  private static final class Scratch {
    final byte[] buf;
    final CRC32 crc = new CRC32();
    final byte[] digest = new byte[SecretHasher.DIGEST_BYTES];
    final LookupProbe probe = new LookupProbe();
    final LegacyFormat.Parsed legacy = new LegacyFormat.Parsed();
    final View view = new View();
    final FastSecretCheck.PerThread fast;

    Scratch(int length, FastSecretCheck fastCheck) {
      buf = new byte[Math.max(length, LegacyFormat.MAX_LENGTH)];
      fast = fastCheck.newPerThread();
    }
  }

  VerificationEngine(
      TokenStore store,
      TokenCodec codec,
      SecretHasher hasher,
      SecureRandom random,
      Clock clock,
      VerificationListener listener,
      Executor background,
      Audit audit,
      VerifierSettings settings,
      RateLimiter limiter) {
    this.limiter = limiter;
    this.store = store;
    this.codec = codec;
    this.hasher = hasher;
    this.fast = new FastSecretCheck(random);
    this.bcrypt = new Bcrypt(settings.maxConcurrentBcrypt(), settings.maxBcryptCost());
    this.acceptLegacy = settings.acceptLegacyTokens();
    this.clock = clock;
    this.listener = listener;
    this.hasListener = listener != VerificationListener.NONE;
    this.background = background;
    this.audit = audit;
    this.boundMillis = settings.stalenessBound().toMillis();
    this.negativeTtlMillis = settings.negativeCacheTtl().toMillis();
    this.maxEntryAgeMillis = settings.maxCacheEntryAge().toMillis();
    this.secretStart = codec.secretStart();
    this.idStart = codec.idStart();
    this.lastUsed = new LastUsedRecorder(store.lastUsedSink().orElse(null), background,
        settings.lastUsedFlushInterval().toMillis(), settings.lastUsedBatchSize());
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = new LongAdder();
    }
    this.lastPollStartMillis = clock.millis();
    int length = codec.length();
    this.zeros = new byte[Math.max(length, LegacyFormat.MAX_LENGTH)];
    FastSecretCheck fastCheck = this.fast;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(length, fastCheck));
    // Maintenance runs on the calling thread, amortized: handing it to a pool costs a thread
    // wake-up that dominated the cache-hit profile. No time-based expiry here: lifetimes are
    // checked on every use (see class comment) and swept in the background.
    this.tokens = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(settings.cacheMaximumSize())
        .build();
    this.unknown = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(settings.negativeCacheMaximumSize())
        .build();
    this.principals = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(settings.cacheMaximumSize())
        .evictionListener((PrincipalRef k, PrincipalEntry v, RemovalCause c) -> {
          if (v != null) {
            v.invalidated = true;
          }
        })
        .build();
  }

  @Override
  public VerificationResult verify(@Nullable CharSequence presented) {
    return verify(presented, null, false);
  }

  @Override
  public VerificationResult verify(@Nullable CharSequence presented, RequestContext context) {
    return verify(presented, context == null ? null : context.clientAddress(), false);
  }

  /**
   * The cache-only variant: the same checks, but wherever {@link #verify} would read the store (a
   * token or principal not usable from the cache) or run bcrypt (legacy tokens), this returns null
   * before counting anything, and the caller repeats the whole verification with {@link #verify}.
   */
  @Override
  public @Nullable VerificationResult verifyCached(@Nullable CharSequence presented) {
    return verify(presented, null, true);
  }

  @Override
  public @Nullable VerificationResult verifyCached(@Nullable CharSequence presented, RequestContext context) {
    return verify(presented, context == null ? null : context.clientAddress(), true);
  }

  /** @param address the client's address; null when unknown (no allow-list passes) */
  private @Nullable VerificationResult verify(@Nullable CharSequence presented, @Nullable IpAddress address,
      boolean cacheOnly) {
    Scratch s = scratch.get();
    VerificationResult result;
    try {
      result = check(presented, s, cacheOnly, address);
    } finally {
      // the scratch buffer held the presented token; do not leave it in this thread's memory
      // (an intrinsic copy of zeros: a fill loop of this size costs several times more on JDK 17)
      int used = presented == null ? 0 : Math.min(presented.length(), s.buf.length);
      System.arraycopy(zeros, 0, s.buf, 0, used);
    }
    if (result == null) {
      return null; // cache-only, and the answer needs the store: nothing counted
    }
    if (result instanceof Rejected r) {
      rejected[r.reason().ordinal()].increment();
    } else if (result instanceof RateLimited) {
      rateLimited.increment();
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

  /** Null only when {@code cacheOnly} and the answer needs the store (see {@link #verifyCached}). */
  private @Nullable VerificationResult check(@Nullable CharSequence presented, Scratch s, boolean cacheOnly,
      @Nullable IpAddress address) {
    byte[] buf = s.buf;
    int kind = codec.parse(presented, buf, s.crc);
    if (kind >= 0) {
      View view = s.view;
      view.generation = generation;
      view.lastPollStartMillis = lastPollStartMillis;
      long now = clock.millis();
      TokenEntry token;
      if (cacheOnly) {
        token = cachedTokenEntry(s.probe.set(buf, idStart), now, view);
        if (token == null) {
          return null;
        }
      } else {
        try {
          token = tokenEntry(s.probe.set(buf, idStart), now, view);
        } catch (RuntimeException e) {
          return storeError(e);
        }
      }
      VerificationResult result = checkEntry(token, kind, false, buf, secretStart, TokenFormat.SECRET_LENGTH, s, now,
          cacheOnly, address);
      if (cacheOnly && result != null) {
        hit(); // counted only once the answer is certain not to need the store after all
      }
      return result;
    }
    if (acceptLegacy && LegacyFormat.parse(presented, buf, s.legacy)) {
      return cacheOnly ? null : checkLegacy(s, address); // legacy tokens may need bcrypt: never on a non-blocking thread
    }
    return MALFORMED;
  }

  /** An imported token in its old dotted form; off the hot path (it allocates its lookup id). */
  private VerificationResult checkLegacy(Scratch s, @Nullable IpAddress address) {
    LegacyFormat.Parsed p = s.legacy;
    byte[] buf = s.buf;
    String lookupId = LegacyFormat.lookupId(buf, p.accountStart, p.accountEnd - p.accountStart,
        buf, p.tokenStart, p.tokenEnd - p.tokenStart);
    View view = s.view;
    view.generation = generation;
    view.lastPollStartMillis = lastPollStartMillis;
    long now = clock.millis();
    TokenEntry token;
    try {
      token = tokenEntry(lookupId, now, view);
    } catch (RuntimeException e) {
      return storeError(e);
    }
    return checkEntry(token, p.kind, true, buf, p.secretStart, p.secretEnd - p.secretStart, s, now, false, address);
  }

  /**
   * Everything after the lookup: secret, then status, expiry and principal (see the class comment
   * for why in this order). The secret is buf[off, off+len), presented in the legacy dotted form if
   * {@code legacy}. Null only when {@code cacheOnly} and the principal is not usable from the cache.
   */
  private @Nullable VerificationResult checkEntry(TokenEntry token, int kind, boolean legacy, byte[] buf, int off, int len,
      Scratch s, long now, boolean cacheOnly, @Nullable IpAddress address) {
    if (!token.present() || token.typeOrdinal != kind) {
      return UNKNOWN;
    }
    int secret = checkSecret(token, legacy, buf, off, len, s, now);
    switch (secret) {
      case SECRET_WRONG:
        return BAD_SECRET;
      case SECRET_BUSY:
        return BUSY;
      case SECRET_THROTTLED:
        return THROTTLED;
      default:
        break;
    }
    if (!token.active) {
      return REVOKED;
    }
    if (now >= token.expiresAtMillis) {
      return EXPIRED;
    }
    TokenEntry.Memo memo = token.memo;
    PrincipalEntry principal;
    if (memo != null && !memo.principal.invalidated && isUsable(memo.principal.loadedAtMillis,
        memo.principal.generation, memo.principal.cacheUntilMillis, now, s.view)) {
      principal = memo.principal;
    } else if (cacheOnly) {
      principal = principals.getIfPresent(token.principal);
      if (principal == null || !isUsable(principal.loadedAtMillis, principal.generation, principal.cacheUntilMillis,
          now, s.view)) {
        return null;
      }
    } else {
      try {
        principal = principalEntry(token.principal, now, s.view);
      } catch (RuntimeException e) {
        return storeError(e);
      }
    }
    if (!principal.usable()) {
      return DISABLED;
    }
    if (secret == SECRET_CURRENT) {
      token.currentTag = s.fast.newTag(buf, off, len);
      if ((token.currentBcrypt || token.currentPepper != hasher.primaryVersion()) && !token.rehashScheduled) {
        scheduleRehash(token, legacy, buf, off, len);
      }
    }
    if (!token.allowsAddress(address)) {
      return ADDRESS_NOT_ALLOWED; // the right secret, but from outside an allow-list: not a use
    }
    if (token.limited) {
      // after every other check: only a request that would otherwise pass takes from a bucket
      if (!limiter.available()) {
        warnUnavailable(token);
        return RATE_LIMIT_UNAVAILABLE;
      }
      RateLimited refused = limiter.acquire(token, now);
      if (refused != null) {
        return refused;
      }
    }
    lastUsed.note(token, now, address);
    return verified(token, principal);
  }

  /**
   * Checks the presented secret against the entry, doing the same work for every wrong secret (see
   * the class comment): the fast-check tag, then HMAC against the current hash and against the
   * previous one, each against a dummy when the entry has no such digest. A previous secret counts
   * only during its grace period. bcrypt runs last, and only for a live token presented in the
   * legacy form.
   */
  private int checkSecret(TokenEntry token, boolean legacy, byte[] buf, int off, int len, Scratch s, long now) {
    byte[] tag = token.currentTag;
    boolean tagMatches = s.fast.matches(tag != null ? tag : noTag, buf, off, len, s.digest);
    if (tag != null & tagMatches) {
      return SECRET_TAG;
    }
    if (hasher.matches(token.currentPepper, token.currentDigest, legacy, buf, off, len, s.digest)) {
      return SECRET_CURRENT;
    }
    boolean inGrace = now < token.previousValidUntilMillis;
    boolean previousMatches = hasher.matches(token.previousPepper, token.previousDigest, legacy, buf, off, len, s.digest);
    if (previousMatches & inGrace) {
      return SECRET_PREVIOUS;
    }
    boolean currentBcrypt = token.currentBcrypt;
    boolean previousBcrypt = token.previousBcrypt && inGrace;
    if (!legacy || !(currentBcrypt || previousBcrypt)) {
      return SECRET_WRONG; // bcrypt hashes are of legacy secrets, which verify in the legacy form only
    }
    if (!token.active || now >= token.expiresAtMillis) {
      return SECRET_NOT_CHECKED;
    }
    int result = SECRET_WRONG;
    if (currentBcrypt) {
      Bcrypt.Outcome o = bcrypt.check(token.lookupId(), token.record.current().payload(), buf, off, len, now);
      if (o == Bcrypt.Outcome.MATCH) {
        return SECRET_CURRENT;
      }
      result = notChecked(o, result);
    }
    if (previousBcrypt) {
      CredentialHash previous = java.util.Objects.requireNonNull(token.record.previous()); // previousBcrypt: present
      Bcrypt.Outcome o = bcrypt.check(token.lookupId(), previous.payload(), buf, off, len, now);
      if (o == Bcrypt.Outcome.MATCH) {
        return SECRET_PREVIOUS;
      }
      result = notChecked(o, result);
    }
    return result;
  }

  /** A bcrypt check that did not run makes the answer BUSY or THROTTLED, never a bad secret. */
  private static int notChecked(Bcrypt.Outcome o, int resultSoFar) {
    return switch (o) {
      case BUSY -> SECRET_BUSY;
      case THROTTLED -> resultSoFar == SECRET_BUSY ? SECRET_BUSY : SECRET_THROTTLED;
      default -> resultSoFar;
    };
  }

  private Verified verified(TokenEntry token, PrincipalEntry principal) {
    TokenEntry.Memo memo = token.memo;
    if (memo != null && memo.principal == principal) {
      return memo.verified;
    }
    var p = principal.principal;
    var t = token.record.token();
    // the principal's current grants narrowed by both restrictions: recomputed whenever the
    // principal entry changes, so a principal losing a permission is never hidden by a memo
    Restriction kr = token.keyRestriction;
    Restriction tr = token.tokenRestriction;
    Verified v = new Verified(p.ref(), p.scope(), tr.narrowRoles(kr.narrowRoles(p.roles())),
        tr.narrowPermissions(kr.narrowPermissions(p.permissions())), t.ref(), t.lookupId(), t.expiresAt(), kr, tr);
    token.memo = new TokenEntry.Memo(principal, v);
    return v;
  }

  private volatile boolean warnedUnavailable;

  private void warnUnavailable(TokenEntry token) {
    if (!warnedUnavailable) {
      warnedUnavailable = true;
      log.warn("token lookupId={} has a rate limit that this node cannot enforce, so it is rejected: {}",
          token.lookupId(), RateLimiter.MISSING);
    }
  }

  RateLimiter limiter() {
    return limiter;
  }

  private VerificationResult storeError(RuntimeException e) {
    storeErrors.increment();
    log.warn("token store failed during verification; rejecting (fail closed): {}", StoreFailures.describe(e));
    if (hasListener) {
      try {
        listener.onStoreError(e);
      } catch (RuntimeException ignored) {
        // ignore
      }
    }
    return STORE_ERROR;
  }

  /**
   * The staleness rule. {@code view} is the poll start and generation read BEFORE the entry was
   * read from its map: read after, a poll that removed the entry in between could make it look fresh.
   */
  private boolean isUsable(long loadedAt, long entryGeneration, long cacheUntil, long now, View view) {
    return isUsable(loadedAt, entryGeneration, cacheUntil, now, view.lastPollStartMillis, view.generation);
  }

  private boolean isUsable(long loadedAt, long entryGeneration, long cacheUntil, long now, long pollStart,
      long currentGeneration) {
    long reference = Math.max(loadedAt, pollStart);
    return now < cacheUntil
        && entryGeneration == currentGeneration
        && now >= reference
        && now - reference <= boundMillis;
  }

  /** The cache's consistency state as one verification saw it, read before any cache lookup. */
  private static final class View {
    long lastPollStartMillis;
    long generation;
  }

  /**
   * The entry for {@code key} if the cache has a usable one (known or unknown id), else null; never
   * reads the store, removes nothing and counts nothing (the caller counts the hit).
   */
  private @Nullable TokenEntry cachedTokenEntry(Object key, long now, View view) {
    TokenEntry e = tokens.asMap().get(key);
    if (e == null) {
      e = unknown.asMap().get(key);
    }
    return e != null && isUsable(e.loadedAtMillis, e.generation, e.cacheUntilMillis, now, view) ? e : null;
  }

  /**
   * @param key the lookup id: a {@link String}, or on the native hot path a {@link LookupProbe}
   *     standing in for one (its {@code toString()} is the id)
   */
  private TokenEntry tokenEntry(Object key, long now, View view) {
    // asMap().get(Object): Cache.getIfPresent is typed to the key class and would not take the probe
    TokenEntry e = tokens.asMap().get(key);
    if (e != null) {
      if (isUsable(e.loadedAtMillis, e.generation, e.cacheUntilMillis, now, view)) {
        hit();
        return e;
      }
      tokens.asMap().remove(key.toString(), e);
    } else {
      TokenEntry absent = unknown.asMap().get(key);
      if (absent != null) {
        if (isUsable(absent.loadedAtMillis, absent.generation, absent.cacheUntilMillis, now, view)) {
          hit();
          return absent;
        }
        unknown.asMap().remove(key.toString(), absent);
      }
    }
    miss();
    TokenEntry loaded = tokens.get(key.toString(), this::loadToken);
    if (loaded == null) {
      return ABSENT;
    }
    if (e != null && loaded != e) {
      carryOver(e, loaded);
    }
    return loaded;
  }

  /**
   * A stale entry re-read without any change to the token (same version, same stored hash) passes
   * on what it learned: the fast-check tag (derived from a secret that matched this very hash) and
   * when last-used was noted. Without this, every periodic re-read would cost a full HMAC again.
   */
  private static void carryOver(TokenEntry stale, TokenEntry loaded) {
    if (!stale.present() || !loaded.present()
        || stale.record.version() != loaded.record.version()
        || !stale.record.token().createdAt().equals(loaded.record.token().createdAt())
        || !stale.record.current().equals(loaded.record.current())) {
      return;
    }
    if (loaded.currentTag == null) {
      loaded.currentTag = stale.currentTag;
    }
    loaded.lastUsedNotedMillis = Math.max(loaded.lastUsedNotedMillis, stale.lastUsedNotedMillis);
  }

  /**
   * Reads a token for the cache of known tokens; null (nothing cached there) when the store does not
   * have it, in which case the id goes to the cache of unknown ids. Caffeine runs concurrent loads of
   * one id one after another when the first returns null, so a load first looks for a negative entry
   * that another load just made.
   */
  private TokenEntry loadToken(String lookupId) {
    long gen = generation;
    long start = clock.millis();
    TokenEntry absent = unknown.getIfPresent(lookupId);
    if (absent != null && isUsable(absent.loadedAtMillis, absent.generation, absent.cacheUntilMillis, start,
        lastPollStartMillis, gen)) {
      return null;
    }
    TokenRecord record;
    long started = System.nanoTime();
    try {
      record = store.findTokenByLookupId(lookupId).orElse(null);
    } finally {
      storeLookup(started);
    }
    if (record == null || !isExactly(record, lookupId)) {
      unknown.put(lookupId, TokenEntry.absent(start, gen, negativeTtlMillis));
      return null;
    }
    // The key's restriction is read with the token and cached with it; a key edit that changes it
    // announces every token of the key, so this entry goes when the key changes.
    dev.latchkey.ApiKey key;
    started = System.nanoTime();
    try {
      key = store.findApiKey(record.token().ref().apiKey()).orElse(null);
    } finally {
      storeLookup(started);
    }
    if (key == null) { // deleted with its key a moment ago: the deletion's change will follow
      unknown.put(lookupId, TokenEntry.absent(start, gen, negativeTtlMillis));
      return null;
    }
    return TokenEntry.of(start, gen, record, key.restriction(), negativeTtlMillis, maxEntryAgeMillis);
  }

  /**
   * True when the store returned the record of exactly this lookup id. A store whose id column
   * compares case-insensitively answers {@code aBc...} with the record of {@code AbC...}; caching
   * that under the presented spelling would survive the record's invalidations, which use the stored
   * spelling. Lookup ids are public, so an ordinary comparison is fine.
   */
  private static boolean isExactly(TokenRecord record, String lookupId) {
    return record.lookupId().equals(lookupId);
  }

  private PrincipalEntry principalEntry(PrincipalRef ref, long now, View view) {
    PrincipalEntry e = principals.getIfPresent(ref);
    if (e != null) {
      if (isUsable(e.loadedAtMillis, e.generation, e.cacheUntilMillis, now, view)) {
        return e;
      }
      if (principals.asMap().remove(ref, e)) {
        e.invalidated = true;
      }
    }
    return principals.get(ref, this::loadPrincipal);
  }

  private PrincipalEntry loadPrincipal(PrincipalRef ref) {
    long gen = generation;
    long start = clock.millis();
    dev.latchkey.Principal principal;
    long started = System.nanoTime();
    try {
      principal = store.findPrincipal(ref).orElse(null);
    } finally {
      storeLookup(started);
    }
    return new PrincipalEntry(start, gen, principal == null ? negativeTtlMillis : maxEntryAgeMillis, principal);
  }

  private void storeLookup(long startedNanos) {
    if (hasListener) {
      try {
        listener.onStoreLookup(System.nanoTime() - startedNanos);
      } catch (RuntimeException ignored) {
        // a metrics hook must not break verification
      }
    }
  }

  private void hit() {
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

  /**
   * Re-hash under the primary pepper; the store write happens in the background, compare-and-set.
   * The cached record lacks the description and tags ({@link TokenEntry}), so the write starts from
   * the stored record, and only if that is still the version this entry was read from.
   */
  private void scheduleRehash(TokenEntry token, boolean legacy, byte[] buf, int off, int len) {
    token.rehashScheduled = true;
    CredentialHash upgraded = hasher.hash(legacy, buf, off, len);
    TokenRecord before = token.record;
    String lookupId = before.lookupId();
    String from = before.current().scheme() + "/" + before.current().pepperVersion();
    Runnable write = () -> {
      try {
        TokenRecord stored = store.findTokenByLookupId(lookupId).orElse(null);
        if (stored == null || stored.version() != before.version() || !stored.current().equals(before.current())) {
          return; // changed since: the next read of it decides again
        }
        TokenRecord after = new TokenRecord(TokenCopy.of(stored.token()).build(), upgraded, stored.previous());
        if (store.updateToken(stored.version(), after)) {
          invalidateToken(lookupId);
          audit.emit("system", AuditAction.TOKEN_REHASHED, before.token().owner().accountId(),
              before.token().ref().toString(),
              Map.of("from", from, "to", upgraded.scheme() + "/" + upgraded.pepperVersion()));
        }
      } catch (RuntimeException e) {
        log.warn("could not upgrade the hash of token lookupId={}: {}", lookupId, StoreFailures.describe(e));
      }
    };
    try {
      background.execute(write);
    } catch (RejectedExecutionException e) {
      log.debug("background executor closed; hash upgrade of lookupId={} skipped", lookupId);
    }
  }

  // ---- invalidation, used by the manager (local mutations) and the change-feed poller

  /**
   * Forgets a lookup id, known or unknown. The known-token cache first: Caffeine makes that wait for
   * a load of the id in flight, which may be about to file it as unknown.
   */
  public void invalidateToken(String lookupId) {
    tokens.invalidate(lookupId);
    unknown.invalidate(lookupId);
  }

  /**
   * Forgets every cached token of {@code key}: its restriction or rate limit changed, and both are
   * read with each token. A scan of the cache, for a rare management call; other nodes learn it from the
   * change feed, where the store announces each of the key's tokens.
   */
  public void invalidateTokensOf(dev.latchkey.ApiKeyRef key) {
    for (TokenEntry e : tokens.asMap().values()) {
      if (e.present() && key.equals(e.keyRef)) {
        tokens.asMap().remove(e.lookupId(), e);
      }
    }
  }

  public void invalidateTokens(Collection<String> lookupIds) {
    for (String id : lookupIds) {
      invalidateToken(id);
    }
  }

  public void invalidatePrincipal(PrincipalRef ref) {
    PrincipalEntry removed = principals.asMap().remove(ref);
    if (removed != null) {
      removed.invalidated = true;
    }
  }

  public void invalidatePrincipals(Collection<PrincipalRef> refs) {
    for (PrincipalRef ref : refs) {
      invalidatePrincipal(ref);
    }
  }

  /** Forgets everything; loads already in flight are not trusted either (generation check). */
  public void invalidateAll() {
    synchronized (this) {
      generation++;
    }
    tokens.invalidateAll();
    unknown.invalidateAll();
    principals.asMap().values().forEach(e -> e.invalidated = true);
    principals.invalidateAll();
  }

  /** The clock reading to pass to {@link #markPolled} after a poll applied all changes it read. */
  long pollStart() {
    return clock.millis();
  }

  /** When the last completed change-feed poll began (the construction time before the first). */
  long lastPollStartMillis() {
    return lastPollStartMillis;
  }

  /** A change-feed poll that began at {@code startMillis} completed and its changes were applied. */
  void markPolled(long startMillis) {
    lastPollStartMillis = startMillis;
  }

  /** Drops entries past their own lifetime from memory (they are never used, but take space). */
  void sweep() {
    limiter.sweep();
    long now = clock.millis();
    tokens.asMap().values().removeIf(e -> now >= e.cacheUntilMillis);
    unknown.asMap().values().removeIf(e -> now >= e.cacheUntilMillis);
    principals.asMap().values().removeIf(e -> {
      boolean dead = now >= e.cacheUntilMillis;
      if (dead) {
        e.invalidated = true;
      }
      return dead;
    });
  }

  boolean acceptsLegacyTokens() {
    return acceptLegacy;
  }

  /** Refuses, at import, a bcrypt hash whose cost is outside 4 to the configured ceiling. */
  void requireImportableBcrypt(String hash) {
    Bcrypt.requireCost(hash, bcrypt.maxCost());
  }

  /** For tests in this package. */
  Bcrypt bcrypt() {
    return bcrypt;
  }

  LastUsedRecorder lastUsed() {
    return lastUsed;
  }

  /** For tests in this package that measure what the caches retain. */
  Cache<String, TokenEntry> tokenCache() {
    return tokens;
  }

  /** For tests in this package that measure what the caches retain. */
  Cache<PrincipalRef, PrincipalEntry> principalCache() {
    return principals;
  }

  public VerificationStats stats() {
    Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
    for (RejectReason r : RejectReason.values()) {
      byReason.put(r, rejected[r.ordinal()].sum());
    }
    long missed = misses.sum();
    long lookedUp = valid.sum();
    for (RejectReason r : RejectReason.values()) {
      if (r != RejectReason.MALFORMED) {
        lookedUp += byReason.get(r);
      }
    }
    // every well-formed verification looks its token up once: a hit unless it was a miss
    lookedUp += rateLimited.sum();
    return new VerificationStats(valid.sum(), byReason, Math.max(0, lookedUp - missed), missed, storeErrors.sum(),
        0, 0, -1, 0, rateLimited.sum());
  }
}
