package dev.latchkey.internal;

import dev.latchkey.AccessPolicy;
import dev.latchkey.AuditListener;
import dev.latchkey.ConfigurationException;
import dev.latchkey.HashUsage;
import dev.latchkey.Limits;
import dev.latchkey.PepperAccess;
import dev.latchkey.PepperKeyset;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationStats;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.TokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the parts of one Latchkey instance together and runs its background tasks. The one entry
 * into this package: {@link dev.latchkey.Latchkey.Builder#build()} constructs it (see the package
 * comment); everything else here is package-private.
 */
public final class Assembly implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Assembly.class);

  /**
   * Everything the builder collected, already validated field by field.
   *
   * @param pepperAccess lets the hasher read the peppers' key bytes; only the builder has one
   * @param scheduler runs the background tasks; null for this instance's own daemon threads
   */
  public record Config(
      TokenStore store,
      PepperKeyset peppers,
      PepperAccess pepperAccess,
      TokenFormat format,
      Clock clock,
      SecureRandom random,
      AccessPolicy accessPolicy,
      Limits limits,
      AuditListener auditListener,
      VerificationListener verificationListener,
      VerifierSettings verifierSettings,
      Duration changeFeedRetention,
      boolean allowUnknownPepperVersions,
      @Nullable ScheduledExecutorService scheduler) {}

  private final TokenStore store;
  private final VerificationEngine engine;
  private final DefaultTokenManager manager;
  private final @Nullable ChangeFeedPoller poller;
  private final ScheduledExecutorService scheduler;
  /** Runs only the change-feed poll, so that slow store writes elsewhere can never delay it. */
  private final ScheduledExecutorService pollScheduler;
  private final boolean ownsScheduler;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private volatile boolean closed;

  public Assembly(Config c) {
    this(c, () -> { });
  }

  /** {@code hmacProbe} runs once per HMAC computed: tests in this package count with it. */
  Assembly(Config c, Runnable hmacProbe) {
    this.store = c.store();
    Optional<ChangeFeed> feed = c.store().changeFeed();
    checkPeppers(c.store().hashUsageQuery(), c.peppers(), c.allowUnknownPepperVersions());
    TokenCodec codec = new TokenCodec(c.format());
    SecretHasher hasher = new SecretHasher(c.peppers(), c.pepperAccess(), c.format().prefix(), hmacProbe);
    checkPepperValues(c.store(), hasher);
    Audit audit = new Audit(c.auditListener(), c.clock());
    ScheduledExecutorService given = c.scheduler();
    this.ownsScheduler = given == null;
    this.scheduler = given != null ? given : newScheduler("latchkey-background");
    this.pollScheduler = given != null || feed.isEmpty() ? scheduler : newScheduler("latchkey-change-feed");
    this.engine = new VerificationEngine(c.store(), codec, hasher, c.random(), c.clock(), c.verificationListener(), scheduler,
        audit, c.verifierSettings());
    this.manager = new DefaultTokenManager(c.store(), codec, hasher, c.clock(), c.random(), c.accessPolicy(),
        c.limits(), audit, engine);

    VerifierSettings s = c.verifierSettings();
    long flushMillis = s.lastUsedFlushInterval().toMillis();
    schedule("last-used flush", engine.lastUsed()::flush, flushMillis);
    schedule("cache sweep", engine::sweep, Math.max(1000, Math.min(s.negativeCacheTtl().toMillis(), 30_000)));

    if (feed.isPresent()) {
      this.poller = new ChangeFeedPoller(feed.get(), engine);
      poller.poll();
      long pollMillis = Math.max(5, s.stalenessBound().toMillis() / 2);
      schedule(pollScheduler, "change feed poll", poller::poll, pollMillis);
      Duration retention = c.changeFeedRetention();
      long pruneMillis = Math.min(Math.max(retention.toMillis() / 4, 1000), Duration.ofMinutes(5).toMillis());
      ChangeFeed f = feed.get();
      schedule("change feed prune", () -> f.pruneBefore(c.clock().instant().minus(retention)), pruneMillis);
    } else {
      this.poller = null;
      log.warn("the token store has no change feed: this node learns of changes made through other nodes only by"
          + " re-reading, so cached verification records are re-read from the store after the staleness bound ({})",
          s.stalenessBound());
    }
    if (c.store().lastUsedSink().isEmpty()) {
      log.info("the token store does not record last use: tokens' last-used times are not noted");
    }
  }

  private static ScheduledExecutorService newScheduler(String threadName) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private void schedule(String name, Runnable task, long periodMillis) {
    schedule(scheduler, name, task, periodMillis);
  }

  private void schedule(ScheduledExecutorService on, String name, Runnable task, long periodMillis) {
    Runnable guarded = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("background task '{}' failed: {}", name, StoreFailures.describe(e));
      }
    };
    tasks.add(on.scheduleWithFixedDelay(guarded, periodMillis, periodMillis, TimeUnit.MILLISECONDS));
  }

  /**
   * Refuses to start when stored hashes use a pepper version the keyset no longer has: those tokens
   * would silently stop verifying. {@code allowUnknown} forces the start (the tokens then fail).
   */
  private static void checkPeppers(Optional<HashUsageQuery> usage, PepperKeyset peppers, boolean allowUnknown) {
    if (usage.isEmpty()) {
      log.warn("the token store offers no hash-usage statistics: cannot check at start that the pepper keyset still"
          + " has every version stored hashes use (tokens hashed under a missing version would fail verification)");
      return;
    }
    TreeMap<Integer, Long> missing = new TreeMap<>();
    for (HashUsage u : usage.get().hashUsage()) {
      if (CredentialHash.HMAC_SHA256.equals(u.scheme()) && !peppers.hasVersion(u.pepperVersion()) && u.count() > 0) {
        missing.merge(u.pepperVersion(), u.count(), Long::sum);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String detail = missing.entrySet().stream()
        .map(e -> "version " + e.getKey() + " (" + e.getValue() + " hashes)")
        .reduce((a, b) -> a + ", " + b).orElse("");
    if (allowUnknown) {
      log.warn("starting without peppers still used by stored hashes: {}; those tokens will not verify", detail);
      return;
    }
    throw new ConfigurationException("the pepper keyset lacks versions that stored hashes still use: " + detail
        + ". Keep those peppers until the hashes are upgraded or the tokens expire (see hashUsage()),"
        + " or force with allowUnknownPepperVersions(true), which makes those tokens fail verification");
  }

  /**
   * Refuses to start when a pepper version the store knows comes with different key material: every
   * token hashed under it would fail. The first node to use a version records its key-check value.
   */
  private static void checkPepperValues(TokenStore store, SecretHasher hasher) {
    for (int version : hasher.keyset().versions()) {
      String mine = hasher.keyCheck(version);
      String recorded = store.addPepperCheck(version, mine);
      if (!java.security.MessageDigest.isEqual(
          recorded.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          mine.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        throw new ConfigurationException("pepper version " + version + " is not the pepper this store was used with"
            + " (its key-check value differs): check the keyset configuration. A new pepper needs a new version number");
      }
    }
  }

  /** For tests in this package. */
  VerificationEngine engine() {
    return engine;
  }

  public TokenManager manager() {
    return manager;
  }

  public TokenVerifier verifier() {
    return engine;
  }

  public VerificationStats stats() {
    VerificationStats s = engine.stats();
    long pending = engine.lastUsed().pending();
    if (poller == null) {
      return new VerificationStats(s.valid(), s.rejected(), s.cacheHits(), s.cacheMisses(), s.storeErrors(),
          0, 0, -1, pending);
    }
    long lag = Math.max(0, engine.pollStart() - engine.lastPollStartMillis());
    return new VerificationStats(s.valid(), s.rejected(), s.cacheHits(), s.cacheMisses(), s.storeErrors(),
        poller.polls(), poller.changesApplied(), lag, pending);
  }

  public void flushLastUsed() {
    engine.lastUsed().flushAll();
  }

  public void pollChanges() {
    if (poller != null) {
      poller.poll();
    }
  }

  public void invalidateCache() {
    engine.invalidateAll();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ScheduledFuture<?> t : tasks) {
      t.cancel(false);
    }
    try {
      engine.lastUsed().flushAll();
    } catch (RuntimeException e) {
      log.warn("final last-used flush failed: {}", StoreFailures.describe(e));
    }
    if (ownsScheduler) {
      shutdown(scheduler);
      if (pollScheduler != scheduler) {
        shutdown(pollScheduler);
      }
    }
  }

  private static void shutdown(ScheduledExecutorService executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
