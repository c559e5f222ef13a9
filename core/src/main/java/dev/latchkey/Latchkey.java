package dev.latchkey;

import dev.latchkey.internal.Assembly;
import dev.latchkey.internal.ExpiryNoticeSettings;
import dev.latchkey.internal.VerifierSettings;
import dev.latchkey.spi.TokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * One Latchkey instance: a {@link TokenManager} and a {@link TokenVerifier} over one {@link
 * TokenStore}, with a verification cache and background tasks (change-feed polling, last-used
 * flushing). Build one per application and {@link #close()} it on shutdown.
 *
 * <pre>{@code
 * Latchkey latchkey = Latchkey.builder()
 *     .store(store)
 *     .peppers(PepperKeyset.parse(System.getenv("LATCHKEY_PEPPERS")))
 *     .tokenPrefix("acme")
 *     .build();
 * }</pre>
 */
public final class Latchkey implements AutoCloseable {
  private final Assembly assembly;
  private final TokenFormat format;
  private final Duration stalenessBound;

  private Latchkey(Assembly assembly, TokenFormat format, Duration stalenessBound) {
    this.assembly = assembly;
    this.format = format;
    this.stalenessBound = stalenessBound;
  }

  public static Builder builder() {
    return new Builder();
  }

  public TokenManager manager() {
    return assembly.manager();
  }

  public TokenVerifier verifier() {
    return assembly.verifier();
  }

  public TokenFormat format() {
    return format;
  }

  /** The configured bound on how long another node's change may go unseen here ({@link Builder#stalenessBound}). */
  public Duration stalenessBound() {
    return stalenessBound;
  }

  /** Verification counters since this instance was built. */
  public VerificationStats stats() {
    return assembly.stats();
  }

  /** Writes pending last-used times to the store now (also done periodically and on close). */
  public void flushLastUsed() {
    assembly.flushLastUsed();
  }

  /** Reads the store's change feed now (also done periodically); a no-op for stores without one. */
  public void pollChanges() {
    assembly.pollChanges();
  }

  /**
   * Runs the expiry-notice job now (it also runs every {@link Builder#expiryNoticeInterval}) and
   * returns how many notices this node sent; notices another node already sent are not sent again.
   *
   * @throws ConfigurationException if expiry notices are not enabled ({@link Builder#expiryNotices})
   */
  public int sendExpiryNotices() {
    return assembly.sendExpiryNotices();
  }

  /** Drops every cached verification record; the next verifications read the store. */
  public void invalidateCache() {
    assembly.invalidateCache();
  }

  /** Stops background tasks and flushes pending last-used times. Idempotent. */
  @Override
  public void close() {
    assembly.close();
  }

  /**
   * Configures a {@link Latchkey}. Required: {@link #store} and {@link #peppers}. Everything else
   * has a documented default. Setters validate at once and throw {@link ConfigurationException}.
   */
  public static final class Builder {
    private @Nullable TokenStore store;
    private @Nullable PepperKeyset peppers;
    private TokenFormat format = TokenFormat.defaultFormat();
    private Clock clock = Clock.systemUTC();
    private @Nullable SecureRandom random;
    private AccessPolicy accessPolicy = AccessPolicy.standard();
    private Limits limits = Limits.defaults();
    private AuditListener auditListener = AuditListener.slf4j();
    private VerificationListener verificationListener = VerificationListener.NONE;
    private long cacheMaximumSize = 100_000;
    private Duration negativeCacheTtl = Duration.ofSeconds(5);
    private Duration maxCacheEntryAge = Duration.ofMinutes(10);
    private Duration stalenessBound = Duration.ofSeconds(1);
    private Duration lastUsedFlushInterval = Duration.ofSeconds(5);
    private int lastUsedBatchSize = 500;
    private int maxConcurrentBcrypt = 2;
    private int maxBcryptCost = 12;
    private long negativeCacheMaximumSize = 10_000;
    private boolean acceptLegacyTokens;
    private Duration changeFeedRetention = Duration.ofHours(24);
    private boolean allowUnknownPepperVersions;
    private @Nullable ScheduledExecutorService scheduler;
    private long rateLimitBuckets = 100_000;
    private int rateLimitNodes = 1;
    private Duration auditRetention = Duration.ofDays(90);
    private @Nullable ExpiryListener expiryListener;
    private List<Duration> expiryThresholds = DEFAULT_EXPIRY_THRESHOLDS;
    private Duration expiryNoticeInterval = Duration.ofHours(1);

    /** 30, 7 and 1 days. */
    static final List<Duration> DEFAULT_EXPIRY_THRESHOLDS =
        List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1));
    /** At most this many expiry-notice thresholds. */
    static final int MAX_EXPIRY_THRESHOLDS = 10;

    private Builder() {}

    /**
     * Where everything is stored. Required. What Latchkey does when the store lacks an optional
     * capability (change feed, expiring-tokens query, hash usage, last use) is stated in {@link
     * TokenStore}.
     */
    public Builder store(TokenStore store) {
      this.store = notNull("store", store);
      return this;
    }

    /** The HMAC peppers. Required. Keep them out of the database (environment, secret manager, file). */
    public Builder peppers(PepperKeyset peppers) {
      this.peppers = notNull("peppers", peppers);
      return this;
    }

    /** The token prefix; default {@value TokenFormat#DEFAULT_PREFIX}. */
    public Builder tokenPrefix(String prefix) {
      this.format = TokenFormat.withPrefix(prefix);
      return this;
    }

    public Builder format(TokenFormat format) {
      this.format = notNull("format", format);
      return this;
    }

    /** The clock for expiry, grace periods and timestamps; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = notNull("clock", clock);
      return this;
    }

    /** The source of lookup ids and secrets; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = notNull("random", random);
      return this;
    }

    /** Who may do what; default {@link AccessPolicy#standard()}. */
    public Builder accessPolicy(AccessPolicy policy) {
      this.accessPolicy = notNull("accessPolicy", policy);
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = notNull("limits", limits);
      return this;
    }

    /** Receives every mutation; default {@link AuditListener#slf4j()}. */
    public Builder auditListener(AuditListener listener) {
      this.auditListener = notNull("auditListener", listener);
      return this;
    }

    /** Metrics hook on the verification path; default none. */
    public Builder verificationListener(VerificationListener listener) {
      this.verificationListener = notNull("verificationListener", listener);
      return this;
    }

    /** Maximum cached verification records (and, separately, principals); default 100,000. */
    public Builder cacheMaximumSize(long size) {
      if (size < 1) {
        throw new ConfigurationException("cache maximum size must be at least 1 (was " + size + ")");
      }
      this.cacheMaximumSize = size;
      return this;
    }

    /**
     * How many lookup ids the store does not know are remembered as unknown (each for {@link
     * #negativeCacheTtl}); default 10,000. A cache of their own, apart from {@link #cacheMaximumSize}:
     * a flood of made-up ids evicts only other unknown ids, never a valid token's cached record.
     */
    public Builder negativeCacheMaximumSize(long size) {
      if (size < 1) {
        throw new ConfigurationException("negative cache maximum size must be at least 1 (was " + size + ")");
      }
      this.negativeCacheMaximumSize = size;
      return this;
    }

    /**
     * How long an unknown lookup id is remembered as unknown; default 5 seconds. A token created or
     * imported on another node, after its lookup id was presented here, verifies here at the latest
     * this long after that presentation (inserts are not in the change feed); on the node that
     * creates it, as soon as the creating call returns.
     */
    public Builder negativeCacheTtl(Duration ttl) {
      this.negativeCacheTtl = positive("negativeCacheTtl", ttl);
      return this;
    }

    /** The longest a cached record is kept at all, even with a healthy change feed; default 10 minutes. */
    public Builder maxCacheEntryAge(Duration age) {
      this.maxCacheEntryAge = positive("maxCacheEntryAge", age);
      return this;
    }

    /**
     * The bound on how long another node's change (revoke, rotate, delete, disable, expiry edit) may
     * go unseen by this node; default 1 second. The change feed is polled twice per bound; if it
     * cannot be read, cached records older than the bound are re-read from the store.
     */
    public Builder stalenessBound(Duration bound) {
      this.stalenessBound = positive("stalenessBound", bound);
      return this;
    }

    /** How often pending last-used times are written, and their resolution; default 5 seconds. */
    public Builder lastUsedFlushInterval(Duration interval) {
      this.lastUsedFlushInterval = positive("lastUsedFlushInterval", interval);
      return this;
    }

    /** Pending last-used times that trigger an early write, and the most written at once; default 500. */
    public Builder lastUsedBatchSize(int size) {
      if (size < 1 || size > 10_000) {
        throw new ConfigurationException("last-used batch size must be 1 to 10000 (was " + size + ")");
      }
      this.lastUsedBatchSize = size;
      return this;
    }

    /**
     * Verify imported legacy tokens in their old dotted form ({@code pat.<account>.<token>.<secret>},
     * see {@link LegacyToken}); default false. Required for {@link TokenManager#importToken}. The old
     * form has no checksum, so with this on, every well-formed dotted string costs a (cached) lookup.
     */
    public Builder acceptLegacyTokens(boolean accept) {
      this.acceptLegacyTokens = accept;
      return this;
    }

    /**
     * How many bcrypt checks of imported legacy tokens may run at once; default 2. Each costs
     * milliseconds of CPU by design; a check waits at most 100 ms for a permit and is otherwise
     * rejected with reason {@link RejectReason#BUSY} (never as a bad secret). A token needs bcrypt
     * only until its first successful use.
     */
    public Builder maxConcurrentBcrypt(int permits) {
      if (permits < 1 || permits > 256) {
        throw new ConfigurationException("maxConcurrentBcrypt must be 1 to 256 (was " + permits + ")");
      }
      this.maxConcurrentBcrypt = permits;
      return this;
    }

    /**
     * The highest bcrypt cost an imported legacy hash may have; default 12, at most 14. {@link
     * TokenManager#importToken} refuses hashes of cost outside 4 to this, and a stored hash above it
     * is never checked (its token is rejected). Each step doubles the CPU time of a check: cost 12
     * takes about 0.25 s per check on one server core, cost 14 about a second.
     */
    public Builder maxBcryptCost(int cost) {
      if (cost < 4 || cost > 14) {
        throw new ConfigurationException("maxBcryptCost must be 4 to 14 (was " + cost + ")");
      }
      this.maxBcryptCost = cost;
      return this;
    }

    /** How long change-feed rows are kept before this node prunes them; default 24 hours. */
    public Builder changeFeedRetention(Duration retention) {
      this.changeFeedRetention = positive("changeFeedRetention", retention);
      return this;
    }

    /**
     * How long the store's audit trail keeps events before this node prunes them; default 90 days.
     * Ignored for a store without an audit trail. (The memory store also keeps at most a bounded
     * number of events.)
     */
    public Builder auditRetention(Duration retention) {
      this.auditRetention = positive("auditRetention", retention);
      return this;
    }

    /**
     * Turns on expiry notices: a background job on every node tells {@code listener} once per token
     * and threshold ({@link #expiryNoticeThresholds}) that the token expires soon, whichever node
     * gets there first. Default off. Needs a store with the expiring-tokens query and an expiry-notice
     * log ({@link #build()} refuses others). Use {@link ExpiryListener#slf4j()} to only log them.
     */
    public Builder expiryNotices(ExpiryListener listener) {
      this.expiryListener = notNull("expiryNotices listener", listener);
      return this;
    }

    /**
     * How long before expiry notices are sent; default 30, 7 and 1 days. One to {@value
     * #MAX_EXPIRY_THRESHOLDS} distinct positive durations, of at most 366 days.
     */
    public Builder expiryNoticeThresholds(Duration... thresholds) {
      notNull("expiryNoticeThresholds", thresholds);
      if (thresholds.length < 1 || thresholds.length > MAX_EXPIRY_THRESHOLDS) {
        throw new ConfigurationException("expiry notice thresholds: 1 to " + MAX_EXPIRY_THRESHOLDS
            + " durations (was " + thresholds.length + ")");
      }
      java.util.TreeSet<Duration> distinct = new java.util.TreeSet<>();
      for (Duration d : thresholds) {
        positive("an expiry notice threshold", d);
        if (d.compareTo(Duration.ofDays(366)) > 0) {
          throw new ConfigurationException("an expiry notice threshold must be at most 366 days (was " + d + ")");
        }
        if (!distinct.add(d)) {
          throw new ConfigurationException("expiry notice threshold " + d + " is given twice");
        }
      }
      this.expiryThresholds = List.copyOf(distinct.descendingSet());
      return this;
    }

    /** How often each node runs the expiry-notice job; default 1 hour, at least 1 second. */
    public Builder expiryNoticeInterval(Duration interval) {
      positive("expiryNoticeInterval", interval);
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new ConfigurationException("expiryNoticeInterval must be at least 1 second (was " + interval + ")");
      }
      this.expiryNoticeInterval = interval;
      return this;
    }

    /**
     * Start even though stored hashes use pepper versions missing from the keyset (their tokens will
     * fail). Default false: {@link #build()} refuses with a {@link ConfigurationException}.
     */
    public Builder allowUnknownPepperVersions(boolean allow) {
      this.allowUnknownPepperVersions = allow;
      return this;
    }

    /**
     * The most rate-limit buckets this node keeps, keys and tokens together; default 100,000 (a
     * bucket is a few hundred bytes). A bucket idle long enough to have refilled completely is dropped
     * anyway (it would start full again, as a new one does); beyond this bound the least recently
     * used bucket is dropped even if not yet full, and its key or token starts with a full bucket.
     */
    public Builder rateLimitBuckets(long max) {
      if (max < 1) {
        throw new ConfigurationException("rate-limit buckets must be at least 1 (was " + max + ")");
      }
      this.rateLimitBuckets = max;
      return this;
    }

    /**
     * Rate limits are enforced per node: by default (1) each node lets through the whole limit, so
     * behind a load balancer over {@code n} nodes a client may get up to {@code n} times it. Set the
     * expected node count to make each node enforce its share: requests and burst divided by {@code
     * nodes}, rounded down, at least 1. Exact cluster-wide limits are not offered (see the README).
     */
    public Builder rateLimitNodes(int nodes) {
      if (nodes < 1 || nodes > 1000) {
        throw new ConfigurationException("rateLimitNodes must be 1 to 1000 (was " + nodes + ")");
      }
      this.rateLimitNodes = nodes;
      return this;
    }

    /** Run background tasks on this executor instead of an own daemon thread; it is not shut down on close. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = notNull("scheduler", scheduler);
      return this;
    }

    /**
     * Builds the instance. Reads the store once to check that every stored hash's pepper version is
     * in the keyset, and starts the background tasks.
     */
    public Latchkey build() {
      if (store == null) {
        throw new ConfigurationException("a store is required: builder.store(...)");
      }
      if (peppers == null) {
        throw new ConfigurationException("a pepper keyset is required: builder.peppers(...)");
      }
      if (maxCacheEntryAge.compareTo(negativeCacheTtl) < 0) {
        throw new ConfigurationException("maxCacheEntryAge must not be shorter than negativeCacheTtl");
      }
      VerifierSettings settings = new VerifierSettings(cacheMaximumSize, negativeCacheTtl, maxCacheEntryAge,
          stalenessBound, lastUsedFlushInterval, lastUsedBatchSize, maxConcurrentBcrypt, acceptLegacyTokens,
          negativeCacheMaximumSize, maxBcryptCost, rateLimitBuckets, rateLimitNodes);
      // the only place a PepperAccess leaves this package: to the hashing code of this instance
      Assembly assembly = new Assembly(new Assembly.Config(store, peppers, PepperAccess.LATCHKEY, format, clock,
          random == null ? new SecureRandom() : random, accessPolicy, limits, auditListener, verificationListener,
          settings, changeFeedRetention, allowUnknownPepperVersions, scheduler, auditRetention,
          expiryListener == null ? null
              : new ExpiryNoticeSettings(expiryListener, expiryThresholds, expiryNoticeInterval)));
      return new Latchkey(assembly, format, stalenessBound);
    }

    private static <T> T notNull(String name, @Nullable T value) {
      if (value == null) {
        throw new ConfigurationException(name + " must not be null");
      }
      return value;
    }

    private static Duration positive(String name, @Nullable Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new ConfigurationException(name + " must be a positive duration");
      }
      return d;
    }
  }
}
