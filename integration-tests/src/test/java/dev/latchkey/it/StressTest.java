package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditListener;
import dev.latchkey.ConflictException;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.LatchkeyException;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.jdbc.JdbcSchema;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testsupport.SharedPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many threads verifying, issuing, rotating (with and without grace), revoking, deleting and
 * editing through two Latchkey instances ("nodes" A and B, each with its own cache) over one store:
 * once the memory store, once PostgreSQL through the JDBC store. Real clocks; node B is another
 * node for every mutation made through A and vice versa.
 *
 * <p>The test keeps a model of every token value it was handed and of every mutation, with the
 * node it ran on and the moment its call returned ({@link System#nanoTime()}, taken after the
 * return). Checked while the load runs and again at the end:
 *
 * <ul>
 *   <li>a value that was revoked, deleted (token or key), rotated out (at once, or after its grace
 *       period) or made to expire is never accepted by a verification that started after the
 *       mutation returned on the node that made it, nor by one that started later than the
 *       staleness bound plus {@value #SLACK_MILLIS} ms after it returned on the other node;
 *   <li>no issued token is lost: a value no mutation ever ended is never rejected (on the issuing
 *       node at once, on the other node once a rotation is older than the bound), and at the end
 *       every such value verifies on both nodes and every live token is listed as active;
 *   <li>rotation compare-and-set: {@value #CAS_CONTENDERS} threads rotate one token at once with
 *       {@code Rotation.ifVersion} of the same version, over both nodes: exactly one wins;
 *   <li>no deadlock or hang: every wait has a timeout that fails the test with a thread dump.
 * </ul>
 *
 * <p>Principals are never disabled here (re-enabling would make a "dead" token live again, which
 * the model of this test does not express); {@code ModelProperties} covers that sequentially.
 *
 * <p>Duration: about {@value #DEFAULT_MEMORY_SECONDS} s (memory) and {@value
 * #DEFAULT_POSTGRES_SECONDS} s (PostgreSQL) of load in the default build. The Maven profile {@code
 * soak} sets the system property {@code latchkey.soak.seconds} (default there 600) to run each store
 * that long.
 */
class StressTest {
  private static final Duration BOUND = Duration.ofMillis(300);
  /** Scheduling and clock-granularity allowance on top of the bound, for the other node. */
  static final long SLACK_MILLIS = 150;
  static final int DEFAULT_MEMORY_SECONDS = 12;
  static final int DEFAULT_POSTGRES_SECONDS = 16;
  private static final int VERIFIERS = 4;
  private static final int MUTATORS = 3;
  static final int CAS_CONTENDERS = 4;
  private static final int LIVE_KEYS = 10;
  private static final int LIVE_TOKENS_PER_KEY = 10;
  private static final Actor SYSTEM = Actor.system();
  private static final TokenText CODEC = new TokenText(TokenFormat.withPrefix("acme"));

  private static Duration duration(int defaultSeconds) {
    long soak = Long.getLong("latchkey.soak.seconds", 0L);
    return Duration.ofSeconds(soak > 0 ? soak : defaultSeconds);
  }

  @Test
  void memoryStore() throws Exception {
    MemoryTokenStore shared = new MemoryTokenStore();
    new Run("memory", shared, shared, duration(DEFAULT_MEMORY_SECONDS)).execute();
  }

  @Test
  void postgresql() throws Exception {
    try (SharedPostgres.Database db = SharedPostgres.freshDatabase(24)) {
      JdbcSchema.migrate(db.dataSource());
      // two store instances over one database: two nodes of one deployment
      TokenStore a = JdbcTokenStore.builder(db.dataSource()).build();
      TokenStore b = JdbcTokenStore.builder(db.dataSource()).build();
      new Run("postgresql", a, b, duration(DEFAULT_POSTGRES_SECONDS)).execute();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The model

  static final String KEY_DELETED = "key deleted";

  /** "Ends at once" for {@link Death#notBeforeWallMillis}. */
  static final long IMMEDIATE = Long.MIN_VALUE;

  /**
   * Something that ended a value: made through {@code node}, returned at {@code returnNanos}; for a
   * grace period or an expiry, the value still verifies until {@code notBeforeWallMillis} (epoch
   * millis, compared like the verifier does: {@code now >= end} means over).
   */
  record Death(int node, long returnNanos, long notBeforeWallMillis, String cause) {
    boolean requiresRejection(int verifyingNode, long startNanos, long startWallMillis, long allowanceNanos) {
      long allowance = verifyingNode == node ? 0 : allowanceNanos;
      if (startNanos - returnNanos <= allowance) {
        return false;
      }
      return notBeforeWallMillis == IMMEDIATE || startWallMillis >= notBeforeWallMillis;
    }
  }

  static final class KeyM {
    final ApiKeyRef ref;
    Death deleted;
    boolean reserved; // the CAS contests' key: not for the mutators
    final List<TokM> tokens = new ArrayList<>();

    KeyM(ApiKeyRef ref) {
      this.ref = ref;
    }

    long liveTokens() {
      return tokens.stream().filter(t -> t.live).count();
    }
  }

  static final class TokM {
    final TokenRef ref;
    final KeyM key;
    /** Every value of this token by the version of the change that created it (issue: 1). */
    final TreeMap<Long, ValueM> values = new TreeMap<>();
    final List<Death> expiries = new ArrayList<>();
    Death revokedBy;
    Death deletedBy; // deleteToken; a later deletion of its key no longer touches it
    boolean live = true; // may still be picked for mutations
    boolean revoked;
    boolean deleted;

    TokM(TokenRef ref, KeyM key) {
      this.ref = ref;
      this.key = key;
    }
  }

  static final class ValueM {
    final String value;
    final TokM token;
    final long version;
    final int createdOn;
    final long createdNanos;
    /** For a value made by a rotation: until when the value it replaced still verifies. */
    final long replacedValidUntilMillis;
    volatile List<Death> deaths = List.of();
    final AtomicLong[] lastAcceptedStartNanos = {new AtomicLong(Long.MIN_VALUE), new AtomicLong(Long.MIN_VALUE)};
    final AtomicLong[] lastAcceptedStartWall = {new AtomicLong(Long.MIN_VALUE), new AtomicLong(Long.MIN_VALUE)};
    final Queue<String> suspiciousRejections = new ConcurrentLinkedQueue<>();

    ValueM(String value, TokM token, long version, int createdOn, long createdNanos, long replacedValidUntilMillis) {
      this.value = value;
      this.token = token;
      this.version = version;
      this.createdOn = createdOn;
      this.createdNanos = createdNanos;
      this.replacedValidUntilMillis = replacedValidUntilMillis;
    }

    /**
     * @param final_ false while the load runs: a key deletion counts only once it is known that no
     *     deleteToken of the same token (whose report may still be on its way) removed it first; at
     *     the end, with every report in, it counts
     */
    Optional<Death> requiredRejection(int node, long startNanos, long startWall, long allowanceNanos, boolean final_) {
      for (Death d : deaths) {
        if (!final_ && d.cause.equals(KEY_DELETED)) {
          continue;
        }
        if (d.requiresRejection(node, startNanos, startWall, allowanceNanos)) {
          return Optional.of(d);
        }
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      return token.ref + "@v" + version + " (made on node " + node(createdOn) + ")";
    }
  }

  static String node(int i) {
    return i == 0 ? "A" : "B";
  }

  /** All model state behind one lock; verifiers read an immutable snapshot of the value pool. */
  static final class Model {
    private final Object lock = new Object();
    private final List<KeyM> keys = new ArrayList<>();
    private final List<TokM> liveTokens = new ArrayList<>();
    private final long allowanceNanos;
    /** Values verifiers pick from: everything not yet retired (long dead). */
    private volatile Pool pool = new Pool(new ValueM[1024], 0);
    final AtomicLong retired = new AtomicLong();

    record Pool(ValueM[] values, int size) {}

    Model(long allowanceNanos) {
      this.allowanceNanos = allowanceNanos;
    }

    ValueM pick(ThreadLocalRandom rnd) {
      Pool p = pool;
      if (p.size == 0) {
        return null;
      }
      // mostly recent values (where the interesting races are), sometimes any
      int i = rnd.nextInt(4) != 0 ? p.size - 1 - rnd.nextInt(Math.min(p.size, 64)) : rnd.nextInt(p.size);
      return p.values[i];
    }

    private void append(ValueM v) {
      Pool p = pool;
      ValueM[] arr = p.values;
      if (p.size == arr.length) {
        arr = java.util.Arrays.copyOf(arr, arr.length * 2);
      }
      arr[p.size] = v;
      pool = new Pool(arr, p.size + 1);
    }

    KeyM addKey(ApiKeyRef ref, boolean reserved) {
      synchronized (lock) {
        KeyM k = new KeyM(ref);
        k.reserved = reserved;
        keys.add(k);
        return k;
      }
    }

    List<KeyM> liveKeys() {
      synchronized (lock) {
        return keys.stream().filter(k -> k.deleted == null && !k.reserved).collect(Collectors.toList());
      }
    }

    List<KeyM> allKeys() {
      synchronized (lock) {
        return List.copyOf(keys);
      }
    }

    TokM pickLiveToken(ThreadLocalRandom rnd, boolean takeOut) {
      synchronized (lock) {
        if (liveTokens.isEmpty()) {
          return null;
        }
        int i = rnd.nextInt(liveTokens.size());
        TokM t = liveTokens.get(i);
        if (takeOut) {
          removeLive(t);
        }
        return t;
      }
    }

    private void removeLive(TokM t) {
      if (t.live) {
        t.live = false;
        liveTokens.remove(t);
      }
    }

    /** A token was issued: its first value. {@code mutable} false keeps it out of the mutators' pool. */
    TokM issued(KeyM key, IssuedToken issued, int node, long returnNanos, boolean mutable) {
      synchronized (lock) {
        TokM t = new TokM(issued.ref(), key);
        t.deleted = key.deleted != null; // the key's deletion overtook this issue's return
        key.tokens.add(t);
        if (mutable && key.deleted == null) {
          liveTokens.add(t);
        } else {
          t.live = false;
        }
        ValueM v = new ValueM(issued.value().reveal(), t, issued.token().version(), node, returnNanos, IMMEDIATE);
        t.values.put(v.version, v);
        recompute(t);
        append(v);
        return t;
      }
    }

    void rotated(TokM t, IssuedToken rotated, int node, long returnNanos) {
      synchronized (lock) {
        java.time.Instant until = rotated.token().previousValidUntil();
        long graceEnd = until == null ? IMMEDIATE : until.toEpochMilli();
        ValueM v = new ValueM(rotated.value().reveal(), t, rotated.token().version(), node, returnNanos, graceEnd);
        ValueM clash = t.values.put(v.version, v);
        if (clash != null) {
          throw new AssertionError("two changes of " + t.ref + " returned version " + v.version);
        }
        recompute(t);
        append(v);
      }
    }

    /** Revoked. Callers take the token out of the pool when they pick it, so this happens once per token. */
    void revoked(TokM t, int node, long returnNanos) {
      synchronized (lock) {
        if (t.revokedBy != null) {
          throw new AssertionError(t.ref + " was picked for revocation twice");
        }
        t.revoked = true;
        t.revokedBy = new Death(node, returnNanos, IMMEDIATE, "revoked");
        removeLive(t);
        recompute(t);
      }
    }

    /** Deleted (once per token, like {@link #revoked}). */
    void deleted(TokM t, int node, long returnNanos) {
      synchronized (lock) {
        if (t.deletedBy != null) {
          throw new AssertionError(t.ref + " was picked for deletion twice");
        }
        t.deleted = true;
        t.deletedBy = new Death(node, returnNanos, IMMEDIATE, "token deleted");
        removeLive(t);
        recompute(t);
      }
    }

    void keyDeleted(KeyM k, int node, long returnNanos) {
      synchronized (lock) {
        k.deleted = new Death(node, returnNanos, IMMEDIATE, KEY_DELETED);
        for (TokM t : k.tokens) {
          removeLive(t);
          t.deleted = true;
          recompute(t);
        }
      }
    }

    void expiryShortened(TokM t, Token after, int node, long returnNanos) {
      synchronized (lock) {
        java.time.Instant expiry = java.util.Objects.requireNonNull(after.expiresAt());
        t.expiries.add(new Death(node, returnNanos, expiry.toEpochMilli(), "expiry edited to " + expiry));
        recompute(t);
      }
    }

    /** Re-derives every value's deaths from the token's ordered history (changes may arrive out of order). */
    private void recompute(TokM t) {
      List<ValueM> vs = new ArrayList<>(t.values.values());
      for (int i = 0; i < vs.size(); i++) {
        List<Death> d = new ArrayList<>();
        if (i + 1 < vs.size()) {
          ValueM next = vs.get(i + 1);
          d.add(new Death(next.createdOn, next.createdNanos, next.replacedValidUntilMillis,
              next.replacedValidUntilMillis == IMMEDIATE ? "rotated without grace" : "rotated with grace"));
        }
        if (i + 2 < vs.size()) {
          ValueM second = vs.get(i + 2);
          d.add(new Death(second.createdOn, second.createdNanos, IMMEDIATE, "rotated twice"));
        }
        if (t.revokedBy != null) {
          d.add(t.revokedBy);
        }
        if (t.deletedBy != null) {
          d.add(t.deletedBy);
        } else if (t.key.deleted != null) {
          // only if the token was still there: a key deletion does not touch (or invalidate, on its
          // node) a token that another node had deleted before
          d.add(t.key.deleted);
        }
        d.addAll(t.expiries);
        vs.get(i).deaths = List.copyOf(d);
      }
    }

    /**
     * Drops from the verifiers' pool values that have been dead on both nodes for a while (their
     * acceptances were checked as they happened), and from the model keys deleted that long ago.
     * Keeps the pool, and a soak run's memory, small. Returns the keys dropped, for the caller to
     * check that nothing of them is left in the store.
     */
    List<KeyM> retire(long nowNanos, long nowWall) {
      synchronized (lock) {
        Pool p = pool;
        ValueM[] kept = new ValueM[Math.max(1024, p.values.length)];
        int n = 0;
        long margin = allowanceNanos + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < p.size; i++) {
          ValueM v = p.values[i];
          boolean longDead = v.deaths.stream().anyMatch(d -> nowNanos - d.returnNanos > margin
              && (d.notBeforeWallMillis == IMMEDIATE || nowWall - d.notBeforeWallMillis > 5000));
          if (longDead) {
            retired.incrementAndGet();
          } else {
            kept[n++] = v;
          }
        }
        pool = new Pool(kept, n);
        List<KeyM> gone = keys.stream()
            .filter(k -> k.deleted != null && nowNanos - k.deleted.returnNanos > margin).toList();
        keys.removeAll(gone);
        return gone;
      }
    }

    List<ValueM> poolValues() {
      Pool p = pool;
      List<ValueM> out = new ArrayList<>(p.size);
      for (int i = 0; i < p.size; i++) {
        out.add(p.values[i]);
      }
      return out;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One run over one store

  private static final class Run {
    private final String name;
    private final Duration duration;
    private final Latchkey[] nodes;
    private final TokenStore store;
    private final long allowanceNanos = BOUND.toNanos() + TimeUnit.MILLISECONDS.toNanos(SLACK_MILLIS);
    private final Model model = new Model(allowanceNanos);
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final AtomicLong maxCrossNodeStalenessNanos = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<PrincipalRef> owners = new ArrayList<>();
    private long deadlineNanos;

    Run(String name, TokenStore storeA, TokenStore storeB, Duration duration) {
      this.name = name;
      this.duration = duration;
      this.nodes = new Latchkey[] {newNode(storeA), newNode(storeB)};
      this.store = storeB;
    }

    private static Latchkey newNode(TokenStore store) {
      return Latchkey.builder()
          .store(store)
          .peppers(World.PEPPERS)
          .tokenPrefix("acme")
          .clock(Clock.systemUTC())
          .stalenessBound(BOUND)
          .auditListener(AuditListener.none())
          .build();
    }

    private void count(String what) {
      counters.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private void count(String what, long n) {
      counters.computeIfAbsent(what, k -> new LongAdder()).add(n);
    }

    private long total(String what) {
      LongAdder a = counters.get(what);
      return a == null ? 0 : a.sum();
    }

    private void failure(String message) {
      failures.add(message);
      failed.set(true);
    }

    private boolean running() {
      return !failed.get() && System.nanoTime() < deadlineNanos;
    }

    void execute() throws Exception {
      try {
        seed();
        deadlineNanos = System.nanoTime() + duration.toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(VERIFIERS + MUTATORS + 1, named("stress-" + name));
        ExecutorService contenders = Executors.newFixedThreadPool(CAS_CONTENDERS, named("stress-cas-" + name));
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < VERIFIERS; i++) {
          futures.add(workers.submit(guarded("verifier", this::verifyLoop)));
        }
        for (int i = 0; i < MUTATORS; i++) {
          boolean housekeeper = i == 0;
          futures.add(workers.submit(guarded("mutator", () -> mutateLoop(housekeeper))));
        }
        futures.add(workers.submit(guarded("cas", () -> casLoop(contenders))));
        workers.shutdown();
        long waitMillis = duration.toMillis() + 60_000;
        if (!workers.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
          String dump = threadDump();
          workers.shutdownNow();
          contenders.shutdownNow();
          fail(name + ": workers did not finish within " + waitMillis + " ms (deadlock or hang)\n" + dump);
        }
        for (Future<?> f : futures) {
          f.get(1, TimeUnit.SECONDS); // surfaces an unexpected worker exception
        }
        contenders.shutdown();
        if (!contenders.awaitTermination(30, TimeUnit.SECONDS)) {
          fail(name + ": CAS contenders did not finish\n" + threadDump());
        }
        if (failures.isEmpty()) {
          finalChecks();
        }
        report();
        assertThat(failures).as(name + ": invariant violations").isEmpty();
        assertNotVacuous();
      } finally {
        for (Latchkey n : nodes) {
          n.close();
        }
      }
    }

    private Runnable guarded(String role, Runnable body) {
      return () -> {
        try {
          body.run();
        } catch (RuntimeException | AssertionError e) {
          failure(role + " thread died: " + e + "\n" + stackTrace(e));
        }
      };
    }

    // ---- setup

    private void seed() {
      var m = nodes[0].manager();
      m.createAccount(SYSTEM, "acme", "Acme");
      for (int i = 0; i < 2; i++) {
        owners.add(m.createUser(SYSTEM, NewUser.of("acme", "u" + i, "User " + i).withPermissions(Set.of("read"))).ref());
        owners.add(m.createServiceAccount(SYSTEM, NewServiceAccount.of(Scope.account("acme"), "s" + i, "Bot " + i)
            .withPermissions(Set.of("deploy"))).ref());
      }
      for (int k = 0; k < LIVE_KEYS; k++) {
        KeyM key = createKey(0);
        for (int t = 0; t < 3; t++) {
          IssuedToken issued = m.issueToken(SYSTEM, NewToken.of(key.ref, "t" + ids.incrementAndGet(), "T"));
          model.issued(key, issued, 0, System.nanoTime(), true);
        }
      }
    }

    private KeyM createKey(int node) {
      return createKey(node, false);
    }

    private KeyM createKey(int node, boolean reserved) {
      PrincipalRef owner = owners.get(ThreadLocalRandom.current().nextInt(owners.size()));
      ApiKeyRef ref = owner.apiKey("k" + ids.incrementAndGet());
      nodes[node].manager().createApiKey(SYSTEM, NewApiKey.of(owner, ref.id(), "Key " + ref.id()));
      count("key created");
      return model.addKey(ref, reserved);
    }

    // ---- verifiers

    private void verifyLoop() {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      while (running()) {
        ValueM v = model.pick(rnd);
        if (v == null) {
          Thread.onSpinWait();
          continue;
        }
        int node = rnd.nextInt(2);
        verifyOnce(v, node);
      }
    }

    private void verifyOnce(ValueM v, int node) {
      long startNanos = System.nanoTime();
      long startWall = System.currentTimeMillis();
      VerificationResult r = nodes[node].verifier().verify(v.value);
      count("verifications");
      if (r instanceof Verified ok) {
        count("accepted");
        if (!ok.token().equals(v.token.ref) || !ok.principal().equals(v.token.ref.owner())) {
          failure("node " + node(node) + " verified " + v + " as " + ok.token() + " of " + ok.principal());
        }
        v.lastAcceptedStartNanos[node].accumulateAndGet(startNanos, Math::max);
        v.lastAcceptedStartWall[node].accumulateAndGet(startWall, Math::max);
        Optional<Death> d = v.requiredRejection(node, startNanos, startWall, allowanceNanos, false);
        if (d.isPresent()) {
          failure(violation(v, node, startNanos, startWall, d.get()) + diagnose(v));
        } else {
          noteStaleness(v, node, startNanos);
        }
      } else {
        RejectReason reason = ((Rejected) r).reason();
        count("rejected " + reason);
        if (reason == RejectReason.STORE_ERROR || reason == RejectReason.MALFORMED) {
          failure("node " + node(node) + " rejected " + v + " with " + reason);
        }
        List<Death> deaths = v.deaths;
        if (deaths.isEmpty()) {
          // a rotation made on the other node may be unseen there for up to the bound
          long allowance = node == v.createdOn || v.version == 1 ? 0 : allowanceNanos;
          if (startNanos - v.createdNanos > allowance && v.suspiciousRejections.size() < 3) {
            v.suspiciousRejections.add("node " + node(node) + " rejected it (" + reason + ") "
                + ms(startNanos - v.createdNanos) + " after it was made");
          }
        } else {
          count("rejected a dead value");
        }
      }
    }

    /** What the store and both nodes say about a value right after a violation. */
    private String diagnose(ValueM v) {
      String lookupId = v.value.substring(CODEC.idStart(), CODEC.idEnd());
      return "; now: store has the token: " + store.findToken(v.token.ref).map(r -> r.token().status().toString())
          .orElse("no") + ", has its lookup id: " + store.findTokenByLookupId(lookupId).isPresent()
          + ", node A says " + nodes[0].verifier().verify(v.value) + ", node B says " + nodes[1].verifier().verify(v.value)
          + ", deaths " + v.deaths;
    }

    /** How long after an ending change the other node still accepted the value (within the bound). */
    private void noteStaleness(ValueM v, int node, long startNanos) {
      for (Death d : v.deaths) {
        if (d.node != node && d.notBeforeWallMillis == IMMEDIATE && startNanos > d.returnNanos) {
          maxCrossNodeStalenessNanos.accumulateAndGet(startNanos - d.returnNanos, Math::max);
        }
      }
    }

    private String violation(ValueM v, int node, long startNanos, long startWall, Death d) {
      return String.format("node %s accepted %s in a verification that began %s after %s through node %s returned"
              + "%s (allowed: %s)", node(node), v, ms(startNanos - d.returnNanos), d.cause, node(d.node),
          d.notBeforeWallMillis == IMMEDIATE ? "" : " and " + (startWall - d.notBeforeWallMillis) + " ms after it took effect",
          d.node == node ? "0 ms on the same node" : ms(allowanceNanos) + " on the other node");
    }

    // ---- mutators

    private enum Op { ISSUE, ROTATE_NOW, ROTATE_GRACE, REVOKE, DELETE_TOKEN, DELETE_KEY, EDIT_TOKEN, SHORTEN_EXPIRY,
      EDIT_KEY, LIST }

    private static final Op[] WEIGHTED = weighted(Map.of(Op.ISSUE, 20, Op.ROTATE_NOW, 10, Op.ROTATE_GRACE, 10,
        Op.REVOKE, 5, Op.DELETE_TOKEN, 5, Op.DELETE_KEY, 1, Op.EDIT_TOKEN, 8, Op.SHORTEN_EXPIRY, 2, Op.EDIT_KEY, 3,
        Op.LIST, 3));

    private static Op[] weighted(Map<Op, Integer> weights) {
      List<Op> out = new ArrayList<>();
      new TreeMap<>(weights).forEach((op, w) -> {
        for (int i = 0; i < w; i++) {
          out.add(op);
        }
      });
      return out.toArray(new Op[0]);
    }

    private void mutateLoop(boolean housekeeper) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      long nextRetire = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (running()) {
        Op op = WEIGHTED[rnd.nextInt(WEIGHTED.length)];
        int node = rnd.nextInt(2);
        try {
          mutate(op, node, rnd);
        } catch (ConflictException e) {
          count(op + " conflict");
        } catch (NotFoundException e) {
          count(op + " not found");
        } catch (LatchkeyException e) {
          failure("node " + node(node) + " " + op + " failed unexpectedly: " + e + "\n" + stackTrace(e));
        }
        if (housekeeper && System.nanoTime() > nextRetire) {
          for (KeyM k : model.retire(System.nanoTime(), System.currentTimeMillis())) {
            checkNothingLeftOf(k);
          }
          nextRetire = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        }
      }
    }

    private void mutate(Op op, int node, ThreadLocalRandom rnd) {
      var m = nodes[node].manager();
      switch (op) {
        case ISSUE -> {
          List<KeyM> live = model.liveKeys();
          if (live.size() < LIVE_KEYS) {
            createKey(node);
            return;
          }
          KeyM key = live.get(rnd.nextInt(live.size()));
          synchronized (model.lock) {
            if (key.liveTokens() >= LIVE_TOKENS_PER_KEY) {
              return;
            }
          }
          IssuedToken issued = m.issueToken(SYSTEM, NewToken.of(key.ref, "t" + ids.incrementAndGet(), "T"));
          long returned = System.nanoTime();
          model.issued(key, issued, node, returned, true);
          count("issued");
        }
        case ROTATE_NOW, ROTATE_GRACE -> {
          TokM t = model.pickLiveToken(rnd, false);
          if (t == null) {
            return;
          }
          Rotation rotation = op == Op.ROTATE_NOW ? Rotation.immediate()
              : Rotation.withGrace(Duration.ofMillis(100 + rnd.nextInt(900)));
          IssuedToken rotated = m.rotateToken(SYSTEM, t.ref, rotation);
          long returned = System.nanoTime();
          model.rotated(t, rotated, node, returned);
          count(op == Op.ROTATE_NOW ? "rotated without grace" : "rotated with grace");
        }
        case REVOKE -> {
          TokM t = model.pickLiveToken(rnd, true);
          if (t == null) {
            return;
          }
          Token after = m.revokeToken(SYSTEM, t.ref);
          long returned = System.nanoTime();
          if (after.status() != TokenStatus.REVOKED) {
            failure("revokeToken returned status " + after.status() + " for " + t.ref);
          }
          model.revoked(t, node, returned);
          count("revoked");
        }
        case DELETE_TOKEN -> {
          TokM t = model.pickLiveToken(rnd, true);
          if (t == null) {
            return;
          }
          m.deleteToken(SYSTEM, t.ref);
          long returned = System.nanoTime();
          model.deleted(t, node, returned);
          count("token deleted");
        }
        case DELETE_KEY -> {
          List<KeyM> live = model.liveKeys();
          if (live.isEmpty()) {
            return;
          }
          KeyM key = live.get(rnd.nextInt(live.size()));
          m.deleteApiKey(SYSTEM, key.ref);
          long returned = System.nanoTime();
          model.keyDeleted(key, node, returned);
          count("key deleted");
        }
        case EDIT_TOKEN -> {
          TokM t = model.pickLiveToken(rnd, false);
          if (t == null) {
            return;
          }
          m.editToken(SYSTEM, t.ref, TokenEdit.none().name("Edited " + rnd.nextInt(1000))
              .tags(Map.of("n", Integer.toString(rnd.nextInt(1000)))));
          count("token edited");
        }
        case SHORTEN_EXPIRY -> {
          // taken out of the pool at once: nobody else changes its expiry (a later, longer expiry
          // would legitimately revive it, which this model does not express)
          TokM t = model.pickLiveToken(rnd, true);
          if (t == null) {
            return;
          }
          Token after = m.editToken(SYSTEM, t.ref,
              TokenEdit.none().expiration(Expiration.after(Duration.ofMillis(200 + rnd.nextInt(1000)))));
          long returned = System.nanoTime();
          model.expiryShortened(t, after, node, returned);
          count("expiry shortened");
        }
        case EDIT_KEY -> {
          List<KeyM> live = model.liveKeys();
          if (live.isEmpty()) {
            return;
          }
          KeyM key = live.get(rnd.nextInt(live.size()));
          m.editApiKey(SYSTEM, key.ref, ApiKeyEdit.none().description("d" + rnd.nextInt(1000)));
          count("key edited");
        }
        case LIST -> {
          List<KeyM> live = model.liveKeys();
          if (live.isEmpty()) {
            return;
          }
          KeyM key = live.get(rnd.nextInt(live.size()));
          Page<Token> page = m.listTokens(SYSTEM, key.ref, PageRequest.first(PageRequest.MAX_LIMIT));
          for (Token t : page.items()) {
            if (!t.ref().apiKey().equals(key.ref)) {
              failure("listTokens(" + key.ref + ") returned " + t.ref());
            }
          }
          count("listed");
        }
        default -> throw new AssertionError(op);
      }
    }

    // ---- rotation compare-and-set

    private void casLoop(ExecutorService contenders) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      KeyM key = createKey(0, true);
      TokM token = null;
      int round = 0;
      while (running()) {
        if (token == null || round % 20 == 0) {
          if (token != null) {
            nodes[0].manager().revokeToken(SYSTEM, token.ref);
            model.revoked(token, 0, System.nanoTime());
          }
          IssuedToken issued = nodes[0].manager().issueToken(SYSTEM, NewToken.of(key.ref, "cas" + ids.incrementAndGet(), "CAS"));
          token = model.issued(key, issued, 0, System.nanoTime(), false);
        }
        round++;
        contest(token, contenders, rnd.nextBoolean() ? Duration.ZERO : Duration.ofMillis(300));
      }
    }

    private record Outcome(int node, IssuedToken won, long returnNanos, ConflictException lost) {}

    private void contest(TokM token, ExecutorService contenders, Duration grace) {
      long version = nodes[1].manager().getToken(SYSTEM, token.ref).version();
      CountDownLatch ready = new CountDownLatch(CAS_CONTENDERS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < CAS_CONTENDERS; i++) {
        int node = i % 2;
        futures.add(contenders.submit(() -> {
          ready.countDown();
          if (!go.await(10, TimeUnit.SECONDS)) {
            throw new TimeoutException("start signal");
          }
          try {
            IssuedToken won = nodes[node].manager().rotateToken(SYSTEM, token.ref,
                (grace.isZero() ? Rotation.immediate() : Rotation.withGrace(grace)).ifVersion(version));
            return new Outcome(node, won, System.nanoTime(), null);
          } catch (ConflictException e) {
            return new Outcome(node, null, System.nanoTime(), e);
          }
        }));
      }
      try {
        if (!ready.await(10, TimeUnit.SECONDS)) {
          failure("CAS contenders did not start within 10 s");
          return;
        }
        go.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
          outcomes.add(f.get(30, TimeUnit.SECONDS));
        }
        List<Outcome> winners = outcomes.stream().filter(o -> o.won != null).toList();
        count("CAS contests");
        if (winners.size() != 1) {
          failure("rotation of " + token.ref + " ifVersion(" + version + ") by " + CAS_CONTENDERS
              + " threads at once: " + winners.size() + " won (expected exactly 1)");
          return;
        }
        Outcome w = winners.get(0);
        if (w.won.token().version() != version + 1) {
          failure("the winning rotation of " + token.ref + " stored version " + w.won.token().version()
              + ", expected " + (version + 1));
        }
        model.rotated(token, w.won, w.node, w.returnNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure("interrupted during a CAS contest");
      } catch (ExecutionException | TimeoutException e) {
        failure("CAS contest on " + token.ref + " failed or hung: " + e + "\n" + threadDump());
      }
    }

    // ---- the end

    private void finalChecks() throws InterruptedException {
      // every acceptance of the run against everything the model learnt, including late arrivals
      List<ValueM> values = model.poolValues();
      for (ValueM v : values) {
        for (int node = 0; node < 2; node++) {
          long start = v.lastAcceptedStartNanos[node].get();
          long wall = v.lastAcceptedStartWall[node].get();
          if (start != Long.MIN_VALUE) {
            Optional<Death> d = v.requiredRejection(node, start, wall, allowanceNanos, true);
            if (d.isPresent()) {
              failure(violation(v, node, start, wall, d.get()) + " [found at the end]");
            }
          }
        }
        if (v.deaths.isEmpty() && !v.suspiciousRejections.isEmpty()) {
          failure("issued value " + v + " was never ended but was rejected: " + v.suspiciousRejections.peek());
        }
      }
      // quiescent: after the bound, both nodes agree with the model
      Thread.sleep(allowanceNanos / 1_000_000 + 100);
      long nowWall = System.currentTimeMillis();
      int liveChecked = 0;
      int deadChecked = 0;
      for (ValueM v : values) {
        List<Death> deaths = v.deaths;
        boolean alive = deaths.isEmpty();
        boolean surelyDead = deaths.stream().anyMatch(d -> d.notBeforeWallMillis == IMMEDIATE
            || d.notBeforeWallMillis <= nowWall);
        boolean surelyAlive = !deaths.isEmpty() && deaths.stream().allMatch(d -> d.notBeforeWallMillis > nowWall + 2000);
        for (int node = 0; node < 2; node++) {
          VerificationResult r = nodes[node].verifier().verify(v.value);
          if ((alive || surelyAlive) && !(r instanceof Verified)) {
            failure("lost: " + v + " should verify on node " + node(node) + " at the end but got " + r);
          }
          if (surelyDead && r.isValid()) {
            failure("node " + node(node) + " still accepts " + v + " at the end; ended by " + deaths);
          }
        }
        if (alive) {
          liveChecked++;
        } else if (surelyDead) {
          deadChecked++;
        }
      }
      // the store agrees with the model: listed tokens and their status, deleted keys gone
      for (KeyM k : model.allKeys()) {
        if (k.deleted != null) {
          checkNothingLeftOf(k);
          continue;
        }
        var found = nodes[1].manager().listTokens(SYSTEM, k.ref, PageRequest.first(PageRequest.MAX_LIMIT));
        Set<String> active = new HashSet<>();
        Set<String> revoked = new HashSet<>();
        for (Token t : found.items()) {
          (t.status() == TokenStatus.ACTIVE ? active : revoked).add(t.ref().id());
        }
        Set<String> expectActive = new HashSet<>();
        Set<String> expectRevoked = new HashSet<>();
        synchronized (model.lock) {
          for (TokM t : k.tokens) {
            if (!t.deleted) {
              (t.revoked ? expectRevoked : expectActive).add(t.ref.id());
            }
          }
        }
        if (!active.equals(expectActive) || !revoked.equals(expectRevoked)) {
          failure("key " + k.ref + " lists active " + active + " and revoked " + revoked + "; the model has active "
              + expectActive + " and revoked " + expectRevoked);
        }
      }
      assertThat(liveChecked).as(name + ": live values checked at the end").isPositive();
      assertThat(deadChecked).as(name + ": dead values checked at the end").isPositive();
      count("end: live values verified on both nodes", liveChecked);
      count("end: dead values rejected on both nodes", deadChecked);
    }

    /** A deleted key, and every token it had, are gone from the store. */
    private void checkNothingLeftOf(KeyM k) {
      if (store.findApiKey(k.ref).isPresent()) {
        failure("deleted key " + k.ref + " is still stored");
      }
      List<TokM> tokens;
      synchronized (model.lock) {
        tokens = List.copyOf(k.tokens);
      }
      for (TokM t : tokens) {
        if (store.findToken(t.ref).isPresent()) {
          failure("token " + t.ref + " of deleted key " + k.ref + " is still stored");
        }
        List<ValueM> values;
        synchronized (model.lock) {
          values = List.copyOf(t.values.values());
        }
        for (ValueM v : values) {
          String lookupId = v.value.substring(CODEC.idStart(), CODEC.idEnd());
          if (store.findTokenByLookupId(lookupId).isPresent()) {
            failure("lookup id of " + t.ref + " (deleted key " + k.ref + ") still resolves");
          }
        }
      }
      count("deleted keys checked gone");
    }

    private void report() {
      String summary = new TreeMap<>(counters).entrySet().stream()
          .map(e -> String.format("  %-34s %,12d", e.getKey(), e.getValue().sum()))
          .collect(Collectors.joining("\n"));
      System.out.printf("stress[%s] %d s, bound %d ms (+%d ms slack on the other node), %d values retired;"
              + " longest other-node acceptance after a change: %d ms%n%s%n",
          name, duration.toSeconds(), BOUND.toMillis(), SLACK_MILLIS, model.retired.get(),
          maxCrossNodeStalenessNanos.get() / 1_000_000, summary);
    }

    private void assertNotVacuous() {
      for (String what : List.of("issued", "rotated without grace", "rotated with grace", "revoked", "token deleted",
          "key deleted", "token edited", "expiry shortened", "CAS contests", "accepted", "rejected a dead value")) {
        assertThat(total(what)).as(name + ": " + what).isPositive();
      }
      assertThat(total("verifications")).as(name + ": verifications").isGreaterThan(1000);
    }

    private static String ms(long nanos) {
      return String.format("%.1f ms", nanos / 1e6);
    }
  }

  // ---------------------------------------------------------------------------------------------

  static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  static String threadDump() {
    var mx = ManagementFactory.getThreadMXBean();
    StringBuilder sb = new StringBuilder();
    long[] deadlocked = mx.findDeadlockedThreads();
    if (deadlocked != null) {
      sb.append("DEADLOCKED threads: ").append(java.util.Arrays.toString(deadlocked)).append('\n');
    }
    for (ThreadInfo info : mx.dumpAllThreads(true, true)) {
      sb.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
      if (info.getLockName() != null) {
        sb.append(" on ").append(info.getLockName());
      }
      if (info.getLockOwnerName() != null) {
        sb.append(" owned by \"").append(info.getLockOwnerName()).append('"');
      }
      sb.append('\n');
      for (StackTraceElement e : info.getStackTrace()) {
        sb.append("    at ").append(e).append('\n');
      }
    }
    return sb.toString();
  }

  static String stackTrace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
