package dev.latchkey.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.AuditListener;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenValue;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.jdbc.Dialect;
import dev.latchkey.jdbc.JdbcSchema;
import dev.latchkey.jdbc.JdbcTokenStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The scale-out experiment: N independent Latchkey instances ("nodes"), each with its own cache,
 * change-feed poller and HikariCP pool (and, with wake-ups, its own listening connection), on one
 * embedded PostgreSQL server, all under a steady verification load. Node 0 makes the changes
 * (revocation, rotation without grace, removal of a permission); every other node is watched until
 * it rejects the token, and then on until the staleness bound has passed, so that an acceptance
 * after the bound would be seen.
 *
 * <p><b>Stale accept.</b> A verification that began more than the staleness bound (plus 2 ms for
 * the millisecond clock the verifier reads) after the management call returned (the change had
 * committed by then), and still accepted. The verifier's staleness rule makes that impossible
 * however late threads are scheduled: the verifier reads its own clock after the watcher's start
 * time, so a late thread only makes the verifier stricter. It is counted, never tolerated.
 *
 * <p><b>Database load</b> comes from PostgreSQL's own {@code pg_stat_statements}, reset when the
 * trials begin and read when they end. Node 0 connects as role {@code lk_writer}, the other nodes as
 * {@code lk_reader}, so that the statements of the nodes that only verify are apart from the
 * management calls: polls are the feed reads of every node, cache misses the readers' token and
 * principal reads, last-used the batched last-use writes, management everything node 0 ran besides
 * polls and last-used writes, and other is transaction control and connection checks.
 */
final class ScaleOut {
  static final String WRITER_ROLE = "lk_writer";
  static final String READER_ROLE = "lk_reader";
  private static final PepperKeyset PEPPERS = PepperKeyset.generate(new SecureRandom());
  private static final Actor SYSTEM = Actor.system();
  private static final long CLOCK_GRANULARITY_NANOS = 2_000_000;
  private static final Duration MARGIN_AFTER_BOUND = Duration.ofMillis(100);
  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** What changes a trial makes on node 0. */
  enum Kind {
    REVOKE("revocation"),
    ROTATE("rotation, grace 0"),
    REMOVE_PERMISSION("permission removal");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One experiment's settings. */
  record Config(int nodes, int trialsPerKind, Duration bound, boolean wakeUps, int verificationsPerNodePerSecond,
      int poolSize) {}

  /** Per trial: when each other node first rejected, in nanoseconds after the management call returned. */
  record Trial(Kind kind, long[] rejectNanos, long mutationNanos) {
    long allRejectedNanos() {
      return Arrays.stream(rejectNanos).max().orElse(0);
    }
  }

  /** One statement class's calls over the measured window, by role. */
  record Load(Map<String, long[]> callsByCategory, double seconds, long transactions) {}

  record Result(Config config, List<Trial> trials, long staleAccepts, long reacceptsAfterReject, long neverRejected,
      long checks, long loadVerifications, long loadFailures, Load load) {

    /** A quantile (0..1) of the time until every other node rejected, in ms. */
    double allRejectedMillis(double q, Kind kind) {
      return quantile(trials.stream().filter(t -> kind == null || t.kind() == kind)
          .mapToLong(Trial::allRejectedNanos).toArray(), q) / 1e6;
    }

    /** A quantile of the per-node rejection times over all trials and nodes, in ms. */
    double perNodeMillis(double q) {
      return perNodeMillis(q, null);
    }

    /** The same over the trials of one kind (all kinds for null). */
    double perNodeMillis(double q, Kind kind) {
      return quantile(trials.stream().filter(t -> kind == null || t.kind() == kind)
          .flatMapToLong(t -> Arrays.stream(t.rejectNanos())).toArray(), q) / 1e6;
    }

    long trials(Kind kind) {
      return trials.stream().filter(t -> t.kind() == kind).count();
    }

    double mutationMillis(double q) {
      return quantile(trials.stream().mapToLong(Trial::mutationNanos).toArray(), q) / 1e6;
    }
  }

  /** Nearest-rank quantile. */
  static double quantile(long[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  // ---------------------------------------------------------------------------------------- server

  /**
   * An embedded PostgreSQL with {@code pg_stat_statements} loaded and room for many pools; the two
   * roles the nodes connect as.
   */
  static EmbeddedPostgres startServer(int maxConnections) {
    EmbeddedPostgres pg;
    try {
      pg = EmbeddedPostgres.builder()
          .setServerConfig("shared_preload_libraries", "pg_stat_statements")
          .setServerConfig("pg_stat_statements.track", "all")
          .setServerConfig("max_connections", Integer.toString(maxConnections))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("starting embedded PostgreSQL", e);
    }
    sql(pg.getPostgresDatabase(), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
        "CREATE ROLE " + WRITER_ROLE + " LOGIN SUPERUSER", "CREATE ROLE " + READER_ROLE + " LOGIN SUPERUSER");
    return pg;
  }

  private static void sql(DataSource ds, String... statements) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("setting up the scale-out database", e);
    }
  }

  // ---------------------------------------------------------------------------------------- nodes

  private record Node(int index, HikariDataSource pool, Latchkey latchkey) implements AutoCloseable {
    @Override
    public void close() {
      latchkey.close();
      pool.close();
    }
  }

  private final EmbeddedPostgres pg;
  private final Config config;
  private final String database;
  private final List<Node> nodes = new ArrayList<>();

  private ScaleOut(EmbeddedPostgres pg, Config config) {
    this.pg = pg;
    this.config = config;
    this.database = "lk_scale_" + DATABASES.incrementAndGet();
  }

  /** Runs one experiment on {@code pg} in a database of its own, dropped at the end. */
  static Result run(EmbeddedPostgres pg, Config config) throws InterruptedException {
    ScaleOut s = new ScaleOut(pg, config);
    sql(pg.getPostgresDatabase(), "CREATE DATABASE " + s.database);
    try {
      return s.run();
    } finally {
      s.nodes.forEach(Node::close);
      sql(pg.getPostgresDatabase(), "DROP DATABASE IF EXISTS " + s.database);
    }
  }

  private Node node(int index) {
    String role = index == 0 ? WRITER_ROLE : READER_ROLE;
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(pg.getJdbcUrl(role, database));
    hc.setMaximumPoolSize(config.poolSize());
    hc.setConnectionTimeout(10_000);
    hc.setPoolName("scale-" + index);
    HikariDataSource pool = new HikariDataSource(hc);
    JdbcTokenStore.Builder store = JdbcTokenStore.builder(pool).dialect(Dialect.POSTGRESQL);
    if (config.wakeUps()) {
      store.notifyWakeUps(pg.getDatabase(role, database)); // unpooled: a new connection per call
    }
    Latchkey latchkey = Latchkey.builder().store(store.build()).peppers(PEPPERS).tokenPrefix("acme")
        .auditListener(AuditListener.none()).stalenessBound(config.bound()).build();
    return new Node(index, pool, latchkey);
  }

  private Result run() throws InterruptedException {
    try (HikariDataSource admin = adminPool()) {
      JdbcSchema.migrate(admin);
    }
    for (int i = 0; i < config.nodes(); i++) {
      nodes.add(node(i));
    }
    TokenManager m = nodes.get(0).latchkey().manager();
    m.createAccount(SYSTEM, "acme", "Acme");
    Principal loadBot = m.createServiceAccount(SYSTEM,
        NewServiceAccount.of(Scope.account("acme"), "load", "Load").withPermissions(Set.of("deploy")));
    ApiKey loadKey = m.createApiKey(SYSTEM, NewApiKey.of(loadBot.ref(), "load", "Load"));
    TokenValue[] background = new TokenValue[20];
    for (int i = 0; i < background.length; i++) {
      background[i] = m.issueToken(SYSTEM, NewToken.of(loadKey.ref(), "b" + i, "B")).value();
    }
    for (Node n : nodes) {
      for (TokenValue t : background) {
        if (!(n.latchkey().verifier().verify(t) instanceof Verified)) {
          throw new IllegalStateException("node " + n.index() + " does not verify a fresh token");
        }
      }
    }

    Loader loader = new Loader(background);
    loader.start();
    try {
      Thread.sleep(500); // the load settles
      resetStatistics();
      long windowStart = System.nanoTime();
      long commitsBefore = commits();
      List<Trial> trials = new ArrayList<>();
      Watch watch = new Watch();
      for (int k = 0; k < config.trialsPerKind(); k++) {
        for (Kind kind : Kind.values()) {
          trials.add(trial(k, kind, watch));
        }
      }
      double seconds = (System.nanoTime() - windowStart) / 1e9;
      Load load = new Load(statementCalls(), seconds, commits() - commitsBefore);
      loader.stop();
      return new Result(config, trials, watch.staleAccepts, watch.reaccepts, watch.neverRejected, watch.checks,
          loader.verifications.get(), loader.failures.get(), load);
    } finally {
      loader.stop();
    }
  }

  private HikariDataSource adminPool() {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(pg.getJdbcUrl("postgres", database));
    hc.setMaximumPoolSize(1);
    hc.setPoolName("scale-admin");
    return new HikariDataSource(hc);
  }

  // ------------------------------------------------------------------------------------ the trials

  /** Counts over all trials. */
  private static final class Watch {
    long staleAccepts;
    long reaccepts;
    long neverRejected;
    long checks;
  }

  private Trial trial(int k, Kind kind, Watch watch) throws InterruptedException {
    TokenManager m = nodes.get(0).latchkey().manager();
    // a principal of its own per trial, so that a permission removal affects this trial's token only
    Principal p = m.createServiceAccount(SYSTEM, NewServiceAccount.of(Scope.account("acme"), "p" + kind.ordinal()
        + "_" + k, "P").withPermissions(Set.of("deploy", "read")));
    ApiKey key = m.createApiKey(SYSTEM, NewApiKey.of(p.ref(), "k", "K"));
    IssuedToken t = m.issueToken(SYSTEM, NewToken.of(key.ref(), "t", "T"));
    int others = nodes.size() - 1;
    for (int i = 1; i <= others; i++) {
      if (!accepts(nodes.get(i).latchkey().verifier().verify(t.value()))) {
        throw new IllegalStateException("node " + i + " does not accept the trial token before the change");
      }
    }
    long before = System.nanoTime();
    switch (kind) {
      case REVOKE -> m.revokeToken(SYSTEM, t.ref());
      case ROTATE -> m.rotateToken(SYSTEM, t.ref(), Rotation.immediate());
      case REMOVE_PERMISSION -> m.editPrincipal(SYSTEM, p.ref(), PrincipalEdit.none().permissions(Set.of("read")));
    }
    long changed = System.nanoTime(); // the change has committed
    long boundEnd = changed + config.bound().toNanos() + CLOCK_GRANULARITY_NANOS;
    long watchEnd = changed + config.bound().toNanos() + MARGIN_AFTER_BOUND.toNanos();
    long[] rejectedAt = new long[others];
    Arrays.fill(rejectedAt, -1);
    while (true) {
      boolean allRejected = true;
      for (int i = 0; i < others; i++) {
        long start = System.nanoTime();
        boolean accepted = accepts(nodes.get(i + 1).latchkey().verifier().verify(t.value()));
        long end = System.nanoTime();
        watch.checks++;
        if (accepted) {
          if (start > boundEnd) {
            watch.staleAccepts++;
          }
          if (rejectedAt[i] >= 0) {
            watch.reaccepts++;
          }
          allRejected = false;
        } else if (rejectedAt[i] < 0) {
          rejectedAt[i] = end - changed;
        }
      }
      if (System.nanoTime() > watchEnd) {
        for (long r : rejectedAt) {
          if (r < 0) {
            watch.neverRejected++;
          }
        }
        break;
      }
      if (allRejected) {
        // go on watching until the bound has passed, more slowly: only a re-acceptance is left to see
        Thread.sleep(10);
      } else {
        LockSupport.parkNanos(500_000);
      }
    }
    return new Trial(kind, rejectedAt, changed - before);
  }

  private static boolean accepts(VerificationResult r) {
    return r instanceof Verified v && v.hasPermission("deploy");
  }

  // ------------------------------------------------------------------------------------- the load

  /**
   * Two threads that verify the background tokens on every node at a steady rate, in ticks of 10 ms
   * (the nodes split between the threads). They also write last-used times through each node.
   */
  private final class Loader {
    private final TokenValue[] tokens;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong verifications = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    Loader(TokenValue[] tokens) {
      this.tokens = tokens;
    }

    void start() {
      for (int t = 0; t < 2; t++) {
        int first = t;
        Thread thread = new Thread(() -> loop(first), "scale-load-" + t);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void loop(int first) {
      long tickNanos = 10_000_000;
      double perTick = config.verificationsPerNodePerSecond() / 100.0;
      double owed = 0;
      int next = 0;
      long tick = System.nanoTime();
      while (running.get()) {
        owed += perTick;
        int now = (int) owed;
        owed -= now;
        for (int i = first; i < nodes.size(); i += 2) {
          for (int j = 0; j < now; j++) {
            VerificationResult r = nodes.get(i).latchkey().verifier().verify(tokens[next++ % tokens.length]);
            verifications.incrementAndGet();
            if (!(r instanceof Verified)) {
              failures.incrementAndGet();
            }
          }
        }
        tick += tickNanos;
        long wait = tick - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else {
          tick = System.nanoTime(); // behind: do not try to catch up in a burst
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(5_000);
      }
    }
  }

  // ------------------------------------------------------------------------- PostgreSQL statistics

  private void resetStatistics() {
    sql(pg.getPostgresDatabase(), "SELECT pg_stat_statements_reset()");
  }

  private long commits() {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = '" + database
          + "'")) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Statement categories, in report order. */
  static final List<String> CATEGORIES = List.of("poll", "cache miss", "last-used", "management", "other");

  /** Calls per category, as {reader nodes, writer node}. */
  private Map<String, long[]> statementCalls() {
    Map<String, long[]> calls = new java.util.LinkedHashMap<>();
    for (String c : CATEGORIES) {
      calls.put(c, new long[2]);
    }
    String q = "SELECT r.rolname, s.query, s.calls FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
        + " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '" + database + "'";
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(q)) {
      while (rs.next()) {
        String role = rs.getString(1);
        boolean writer = WRITER_ROLE.equals(role);
        if (!writer && !READER_ROLE.equals(role)) {
          continue;
        }
        String category = categorize(rs.getString(2), writer);
        calls.get(category)[writer ? 1 : 0] += rs.getLong(3);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return calls;
  }

  static String categorize(String query, boolean writer) {
    String sql = query.replaceAll("\\s+", " ").trim();
    String upper = sql.toUpperCase(java.util.Locale.ROOT);
    if (upper.contains("FROM LATCHKEY_CHANGE WHERE SEQ >")) {
      return "poll";
    }
    if (upper.startsWith("UPDATE LATCHKEY_TOKEN SET LAST_USED")) {
      return "last-used";
    }
    if (upper.equals("BEGIN") || upper.equals("COMMIT") || upper.equals("ROLLBACK") || upper.isEmpty()
        || upper.startsWith("SET ") || upper.startsWith("SHOW ") || upper.startsWith("LISTEN")
        || upper.equals("SELECT 1") || upper.startsWith("SELECT VERSION()")) {
      return "other";
    }
    if (!writer && (upper.contains("FROM LATCHKEY_TOKEN WHERE LOOKUP_ID =")
        || upper.contains("FROM LATCHKEY_PRINCIPAL WHERE"))) {
      return "cache miss";
    }
    if (!writer && upper.contains("LATCHKEY_CHANGE_COUNTER")) {
      return "poll"; // a reader reads the counter only when its poller starts
    }
    return writer ? "management" : "other";
  }

  static Map<Kind, String> labels() {
    Map<Kind, String> labels = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      labels.put(k, k.label);
    }
    return labels;
  }
}
