package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.AuditListener;
import dev.latchkey.ConfigurationException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Principal;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.testsupport.LogCapture;
import dev.latchkey.testsupport.SharedPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The optional PostgreSQL {@code LISTEN/NOTIFY} wake-up ({@link JdbcTokenStore.Builder#notifyWakeUps})
 * on a real server: it makes other nodes poll at once, and losing it changes nothing but latency.
 *
 * <p>Nodes that must prove a wake-up use a staleness bound of one hour: their scheduled polls come
 * every 30 minutes and their cached entries stay fresh for the hour, so within these tests such a
 * node can only reject a revoked token because a wake-up made it poll. A node built the same way
 * without the option is the control: it still accepts.
 */
class NotifyWakeUpTest {
  private static final PepperKeyset PEPPERS = PepperKeyset.generate(new SecureRandom());
  private static final Duration NO_SCHEDULED_POLL = Duration.ofHours(1);
  private static final Actor SYSTEM = Actor.system();
  private static TestDatabase db;

  private LogCapture log;

  @BeforeAll
  static void open() {
    db = TestDatabase.postgres().migrated();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void captureLog() {
    db.truncate();
    log = new LogCapture();
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  /** An unpooled DataSource to the test database: every getConnection() opens a new connection. */
  private static DataSource listenSource() {
    return SharedPostgres.server().getDatabase("postgres", db.name());
  }

  private static Latchkey node(Duration bound, DataSource listen) {
    JdbcTokenStore.Builder store = JdbcTokenStore.builder(db.dataSource());
    if (listen != null) {
      store.notifyWakeUps(listen);
    }
    return Latchkey.builder().store(store.build()).peppers(PEPPERS).tokenPrefix("acme")
        .auditListener(AuditListener.none()).stalenessBound(bound).build();
  }

  private static ApiKey seed(TokenManager admin) {
    admin.createAccount(SYSTEM, "acme", "Acme");
    Principal bot = admin.createServiceAccount(SYSTEM,
        NewServiceAccount.of(Scope.account("acme"), "bot", "Bot").withPermissions(Set.of("deploy")));
    return admin.createApiKey(SYSTEM, NewApiKey.of(bot.ref(), "k", "K"));
  }

  @Test
  void aWakeUpMakesAnotherNodePollAtOnce() throws Exception {
    try (Latchkey a = node(Duration.ofSeconds(1), listenSource());
        Latchkey b = node(NO_SCHEDULED_POLL, listenSource());
        Latchkey control = node(NO_SCHEDULED_POLL, null)) {
      ApiKey key = seed(a.manager());
      awaitListeners(2);
      for (int trial = 0; trial < 3; trial++) {
        IssuedToken t = a.manager().issueToken(SYSTEM, NewToken.of(key.ref(), "t" + trial, "T"));
        assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class);
        assertThat(control.verifier().verify(t.value())).isInstanceOf(Verified.class);
        long pollsBefore = b.stats().changeFeedPolls();
        long start = System.nanoTime();
        a.manager().revokeToken(SYSTEM, t.ref());
        VerificationResult r = awaitRejection(b, t, Duration.ofSeconds(5));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.printf("NOTIFY wake-up: node B rejected the revoked token after %d ms (its scheduled polls are"
            + " 30 minutes apart)%n", millis);
        assertThat(r).as("node B after the wake-up, %d ms", millis).isEqualTo(Rejected.of(RejectReason.REVOKED));
        // the poll counts itself just after it has applied the change
        long counted = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (b.stats().changeFeedPolls() <= pollsBefore && System.nanoTime() < counted) {
          Thread.sleep(1);
        }
        assertThat(b.stats().changeFeedPolls()).as("polls node B ran").isGreaterThan(pollsBefore);
        assertThat(control.verifier().verify(t.value())).as("the node without wake-ups, which has not polled")
            .isInstanceOf(Verified.class);
      }
    }
    assertThat(warnings()).isEmpty();
  }

  @Test
  void aKilledListeningConnectionIsReopenedWithOneWarning() throws Exception {
    try (Latchkey a = node(Duration.ofSeconds(1), listenSource());
        Latchkey b = node(NO_SCHEDULED_POLL, listenSource())) {
      ApiKey key = seed(a.manager());
      List<Integer> before = awaitListeners(2);
      for (int pid : before) {
        terminate(pid);
      }
      // both reconnect; until they do, nothing is woken (b would answer from its cache for an hour)
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<Integer> after = listeners();
      while ((after.size() < 2 || after.stream().anyMatch(before::contains)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
        after = listeners();
      }
      assertThat(after).as("listening backends after the kill").hasSize(2).doesNotContainAnyElementsOf(before);

      IssuedToken t = a.manager().issueToken(SYSTEM, NewToken.of(key.ref(), "t", "T"));
      assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class);
      a.manager().revokeToken(SYSTEM, t.ref());
      assertThat(awaitRejection(b, t, Duration.ofSeconds(5))).as("node B, woken over the new connection")
          .isEqualTo(Rejected.of(RejectReason.REVOKED));
    }
    assertThat(warnings()).as("one WARN per node for the lost connection").hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("listening connection failed"));
    assertThat(infos()).as("one INFO per node when listening again").hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("listening again"));
  }

  @Test
  void withoutAListeningConnectionPollingStillKeepsTheBound() throws Exception {
    Duration bound = Duration.ofMillis(500);
    // a real failure on every attempt: the database does not exist
    DataSource unreachable = SharedPostgres.server().getDatabase("postgres", "no_such_database");
    try (Latchkey a = node(Duration.ofSeconds(1), listenSource()); Latchkey b = node(bound, unreachable)) {
      ApiKey key = seed(a.manager());
      Thread.sleep(1_000); // several failed attempts with backoff
      for (int trial = 0; trial < 3; trial++) {
        IssuedToken t = a.manager().issueToken(SYSTEM, NewToken.of(key.ref(), "t" + trial, "T"));
        b.pollChanges();
        assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class);
        long start = System.nanoTime();
        a.manager().revokeToken(SYSTEM, t.ref());
        VerificationResult r = awaitRejection(b, t, bound);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(r).as("node B within the bound (%d ms) by polling, after %d ms", bound.toMillis(), millis)
            .isEqualTo(Rejected.of(RejectReason.REVOKED));
      }
    }
    assertThat(warnings()).as("one WARN however many attempts failed").hasSize(1);
  }

  @Test
  void aListenSourceThatIsNotPostgresTurnsWakeUpsOffWithOneWarning() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:not_postgres");
    JdbcTokenStore store = JdbcTokenStore.builder(db.dataSource()).notifyWakeUps(h2).build();
    AtomicInteger woken = new AtomicInteger();
    try (ChangeFeed.Subscription s = store.subscribe(woken::incrementAndGet)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (warnings().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    assertThat(warnings()).hasSize(1).allSatisfy(m -> assertThat(m).contains("wake-ups off"));
    assertThat(woken).hasValue(0);
    try (Latchkey a = Latchkey.builder().store(store).peppers(PEPPERS).auditListener(AuditListener.none()).build()) {
      ApiKey key = seed(a.manager());
      IssuedToken t = a.manager().issueToken(SYSTEM, NewToken.of(key.ref(), "t", "T"));
      a.manager().revokeToken(SYSTEM, t.ref());
      assertThat(a.verifier().verify(t.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
    }
    assertThat(warnings()).as("no further attempt after a refusal").hasSize(1);
  }

  @Test
  void onlyPostgresOffersWakeUps() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:wakeups_need_postgres");
    assertThatThrownBy(() -> JdbcTokenStore.builder(h2).notifyWakeUps(listenSource()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs PostgreSQL");
    assertThatThrownBy(() -> JdbcTokenStore.builder(db.dataSource()).notifyWakeUps(null))
        .isInstanceOf(ConfigurationException.class);
  }

  private static VerificationResult awaitRejection(Latchkey node, IssuedToken t, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    VerificationResult r = node.verifier().verify(t.value());
    while (r instanceof Verified && System.nanoTime() < deadline) {
      Thread.sleep(1);
      r = node.verifier().verify(t.value());
    }
    return r;
  }

  /** Waits until {@code count} listening connections are open on the test database; their backend pids. */
  private static List<Integer> awaitListeners(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Integer> pids = listeners();
    while (pids.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
      pids = listeners();
    }
    assertThat(pids).as("listening connections").hasSize(count);
    return pids;
  }

  private static List<Integer> listeners() throws SQLException {
    try (Connection c = SharedPostgres.server().getPostgresDatabase().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?"
            + " AND application_name = ? AND query LIKE 'LISTEN%'")) {
      ps.setString(1, db.name());
      ps.setString(2, PgWakeUps.APPLICATION_NAME);
      try (ResultSet rs = ps.executeQuery()) {
        List<Integer> pids = new java.util.ArrayList<>();
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
        return pids;
      }
    }
  }

  private static void terminate(int pid) throws SQLException {
    try (Connection c = SharedPostgres.server().getPostgresDatabase().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      ps.setInt(1, pid);
      ps.execute();
    }
  }

  private List<String> warnings() {
    return messages("WARN");
  }

  private List<String> infos() {
    return messages("INFO");
  }

  /** The wake-ups' own log lines of one level (LogCapture's lines start with logger and level). */
  private List<String> messages(String level) {
    String prefix = PgWakeUps.class.getName() + " " + level + " ";
    return log.lines().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
  }
}
