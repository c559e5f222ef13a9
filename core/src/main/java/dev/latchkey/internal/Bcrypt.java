package dev.latchkey.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.ConfigurationException;
import dev.latchkey.InvalidArgumentException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bcrypt checks of imported legacy credentials, through Bouncy Castle (an optional dependency,
 * loaded only here). Each token needs bcrypt only until its first successful use, after which it is
 * re-hashed with HMAC; until then every check costs milliseconds of CPU by design, so this class
 * bounds how much of it anyone can cause:
 *
 * <ul>
 *   <li><b>Cost ceiling.</b> Hashes of cost 4 to {@code maxCost} (default 12) are imported and
 *       checked; a stored hash above the ceiling is never run (an attacker-chosen cost 31 would hold
 *       a permit for days).
 *   <li><b>Permits.</b> At most {@code maxConcurrent} checks run at once. A check waits at most
 *       {@value #PERMIT_WAIT_MILLIS} ms for a permit and is then answered {@link Outcome#BUSY}: the
 *       secret was not checked, so it must not be reported as a bad secret. Checks of ids with
 *       recent failures (what an attacker's guesses are after the first) may hold at most {@code
 *       maxConcurrent - 1} permits (at least 1): with two or more permits, one is always left for ids
 *       without failures, which is what the holders of other tokens present.
 *   <li><b>Failure budget per lookup id.</b> Up to {@value #FAILURE_BUDGET} failed (or running)
 *       checks of one lookup id, then one check per {@value #BACKOFF_MILLIS} ms backoff while
 *       failures continue; checks during the backoff do not run and are answered {@link
 *       Outcome#THROTTLED}, and they do not extend it. A success clears the id's record, and so do
 *       {@value #FORGET_AFTER_MILLIS} ms without failures. The records live in a Caffeine cache of
 *       at most {@value #TRACKED_IDS} ids. Trade-off: an attacker hammering one id spends at most
 *       about one bcrypt check per second on it, and cannot hold the permits that other tokens
 *       need; the holder of that very id competes with the attacker for those checks until one of
 *       theirs gets through (after which the token is on HMAC and immune), but is never locked out
 *       for longer than a backoff at a time. Rotating the token ends it at once.
 *   <li><b>Warnings</b> about exhausted permits, backoffs and refused costs are logged at most once
 *       per {@value #WARN_INTERVAL_MILLIS} ms each, with the count of those suppressed in between.
 * </ul>
 */
final class Bcrypt {
  private static final Logger log = LoggerFactory.getLogger(Bcrypt.class);
  static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

  /** bcrypt ignores input beyond 72 bytes; longer secrets are refused rather than half-checked. */
  static final int MAX_INPUT_BYTES = 72;
  static final int MIN_COST = 4;
  static final int DEFAULT_MAX_COST = 12;
  /** The highest ceiling the builder accepts: cost 14 takes about a second per check on a server core. */
  static final int HIGHEST_MAX_COST = 14;
  static final long PERMIT_WAIT_MILLIS = 100;
  static final int FAILURE_BUDGET = 3;
  static final long BACKOFF_MILLIS = 1_000;
  static final long FORGET_AFTER_MILLIS = 60_000;
  static final int TRACKED_IDS = 10_000;
  static final long WARN_INTERVAL_MILLIS = 10_000;

  /** What a check found. Only {@link #MATCH} and {@link #MISMATCH} say anything about the secret. */
  enum Outcome { MATCH, MISMATCH, BUSY, THROTTLED }

  private final Semaphore permits;
  /** Taken, before a permit, by checks of ids with recent failures. */
  private final Semaphore suspectPermits;
  private final int maxCost;
  private final Cache<String, Budget> budgets;
  private final RateLimitedWarning busyWarning = new RateLimitedWarning(log, WARN_INTERVAL_MILLIS);
  private final RateLimitedWarning throttleWarning = new RateLimitedWarning(log, WARN_INTERVAL_MILLIS);
  private final RateLimitedWarning costWarning = new RateLimitedWarning(log, WARN_INTERVAL_MILLIS);
  private volatile boolean missingReported;

  Bcrypt(int maxConcurrent, int maxCost) {
    this.permits = new Semaphore(maxConcurrent, true);
    this.suspectPermits = new Semaphore(Math.max(1, maxConcurrent - 1), true);
    this.maxCost = maxCost;
    this.budgets = Caffeine.newBuilder().executor(Runnable::run).maximumSize(TRACKED_IDS).build();
  }

  static boolean isHash(String s) {
    return s != null && HASH.matcher(s).matches();
  }

  /** The cost of a hash {@link #isHash} accepted: the two digits after {@code $2b$}. */
  static int cost(String hash) {
    return (hash.charAt(4) - '0') * 10 + (hash.charAt(5) - '0');
  }

  /** Refuses, at import, a hash whose cost is outside 4 to {@code ceiling}. */
  static void requireCost(String hash, int ceiling) {
    if (!isHash(hash)) {
      throw new InvalidArgumentException("bcryptHash must be a $2a$, $2b$ or $2y$ bcrypt hash");
    }
    int cost = cost(hash);
    if (cost < MIN_COST || cost > ceiling) {
      throw new InvalidArgumentException("bcrypt cost " + cost + " is outside the accepted range " + MIN_COST + " to "
          + ceiling + " (maxBcryptCost): every check of a legacy token costs 2^cost rounds of CPU until its first use;"
          + " re-hash it at a lower cost in the old system or raise Latchkey.Builder.maxBcryptCost (at most "
          + HIGHEST_MAX_COST + ")");
    }
  }

  /** Fails with a clear message when Bouncy Castle is not on the class path. */
  static void requireAvailable() {
    try {
      Class.forName("org.bouncycastle.crypto.generators.OpenBSDBCrypt", false, Bcrypt.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException("importing bcrypt-hashed tokens needs Bouncy Castle on the class path:"
          + " add org.bouncycastle:bcprov-jdk18on");
    }
  }

  int maxCost() {
    return maxCost;
  }

  /** For tests in this package: the permits, to hold them as a flood of checks would. */
  Semaphore permits() {
    return permits;
  }

  /**
   * Checks {@code secret} (ASCII in {@code buf}) against the bcrypt {@code hash} of the token with
   * {@code lookupId}, within the limits in the class comment. {@code nowMillis} is the injected
   * clock's time of this verification.
   */
  Outcome check(String lookupId, String hash, byte[] buf, int off, int len, long nowMillis) {
    if (!isHash(hash) || len > MAX_INPUT_BYTES) {
      return Outcome.MISMATCH; // damaged; or bcrypt would compare only the first 72 bytes
    }
    int cost = cost(hash);
    if (cost > maxCost) {
      costWarning.warn(nowMillis, "a stored bcrypt hash (lookupId={}) has cost {}, above maxBcryptCost {}; it is not"
          + " checked and its token cannot verify until it is rotated", lookupId, cost, maxCost);
      return Outcome.MISMATCH;
    }
    Budget budget = budgets.get(lookupId, id -> new Budget());
    int begun = budget.tryBegin(nowMillis);
    if (begun == Budget.REFUSED) {
      throttleWarning.warn(nowMillis, "bcrypt checks of lookupId={} keep failing; its checks are refused for {} ms"
          + " at a time after {} failures", lookupId, BACKOFF_MILLIS, FAILURE_BUDGET);
      return Outcome.THROTTLED;
    }
    Outcome outcome = Outcome.BUSY;
    boolean suspect = begun == Budget.BEGUN_AFTER_FAILURES;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERMIT_WAIT_MILLIS);
    boolean heldSuspect = false;
    try {
      heldSuspect = suspect && acquire(suspectPermits, deadline);
      if (suspect && !heldSuspect || !acquire(permits, deadline)) {
        busyWarning.warn(nowMillis, "no bcrypt permit freed within {} ms; a legacy token check was refused as BUSY"
            + " without being run (see maxConcurrentBcrypt)", PERMIT_WAIT_MILLIS);
        return outcome;
      }
      try {
        outcome = run(hash, buf, off, len) ? Outcome.MATCH : Outcome.MISMATCH;
      } finally {
        permits.release();
      }
      return outcome;
    } finally {
      if (heldSuspect) {
        suspectPermits.release();
      }
      if (budget.end(outcome, nowMillis)) {
        budgets.asMap().remove(lookupId, budget);
      }
    }
  }

  private static boolean acquire(Semaphore semaphore, long deadlineNanos) {
    try {
      return semaphore.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean run(String hash, byte[] buf, int off, int len) {
    char[] secret = new char[len];
    try {
      for (int i = 0; i < len; i++) {
        secret[i] = (char) buf[off + i];
      }
      return BcryptCheck.check(hash, secret);
    } catch (LinkageError e) {
      if (!missingReported) {
        missingReported = true;
        log.error("a stored credential is bcrypt-hashed but Bouncy Castle is missing; add org.bouncycastle:bcprov-jdk18on");
      }
      return false;
    } finally {
      java.util.Arrays.fill(secret, '\0');
    }
  }

  /**
   * Failed and running checks of one lookup id (see the class comment). A check that ends without a
   * result (no permit) gives its share of the budget back.
   */
  static final class Budget {
    private int failures;
    private int running;
    private long lastFailureMillis;
    private long blockedUntilMillis = Long.MIN_VALUE;

    static final int REFUSED = 0;
    static final int BEGUN = 1;
    static final int BEGUN_AFTER_FAILURES = 2;

    /** {@link #REFUSED}, or begun (with or without recent failures of this id). */
    synchronized int tryBegin(long now) {
      if (failures > 0 && (now - lastFailureMillis >= FORGET_AFTER_MILLIS || now < lastFailureMillis)) {
        failures = 0; // quiet for long enough (or the clock went back): start afresh
        blockedUntilMillis = Long.MIN_VALUE;
      }
      if (now < blockedUntilMillis) {
        return REFUSED;
      }
      // within the budget, as many at once as failures are left; past it, one at a time
      int allowed = failures < FAILURE_BUDGET ? FAILURE_BUDGET - failures : 1;
      if (running >= allowed) {
        return REFUSED;
      }
      running++;
      return failures > 0 ? BEGUN_AFTER_FAILURES : BEGUN;
    }

    /** Records how a check begun with {@link #tryBegin} ended; true when the record may be dropped. */
    synchronized boolean end(Outcome outcome, long now) {
      running--;
      if (outcome == Outcome.MATCH) {
        failures = 0;
        blockedUntilMillis = Long.MIN_VALUE;
      } else if (outcome == Outcome.MISMATCH) {
        failures++;
        lastFailureMillis = now;
        if (failures >= FAILURE_BUDGET) {
          blockedUntilMillis = now + BACKOFF_MILLIS;
        }
      }
      return failures == 0 && running == 0;
    }
  }

  /** Isolates the Bouncy Castle reference so that Latchkey runs without it when nothing is imported. */
  private static final class BcryptCheck {
    static boolean check(String hash, char[] secret) {
      return org.bouncycastle.crypto.generators.OpenBSDBCrypt.checkPassword(hash, secret);
    }
  }
}
