package dev.latchkey.jdbc;

import static dev.latchkey.jdbc.Seed.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.StoreException;
import dev.latchkey.jdbc.FaultyDataSource.Fault;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testsupport.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The change feed: numbered from 1 without gaps, one entry per affected token or principal, stamped by the clock. */
class ChangeFeedTest {
  private static final Databases DATABASES = new Databases();

  @AfterAll
  static void closeDatabases() {
    DATABASES.close();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void anAccountDeletionAppendsEveryTokenThenItsPrincipalInIdentifierOrder(TestDatabase.Kind kind) {
    MutableClock clock = new MutableClock(T0);
    JdbcTokenStore store = DATABASES.fresh(kind).store(clock);
    assertThat(store.latestSequence()).isZero();
    assertThat(store.changesSince(0, 10)).isEmpty();
    Seed seed = Seed.standard(store);
    long start = store.latestSequence();
    assertThat(start).as("the seed's own changes").isEqualTo(3);
    assertThat(store.changesSince(0, 10)).extracting(Change::sequence).containsExactly(1L, 2L, 3L);

    Instant at = T0.plusSeconds(42).plusNanos(123);
    clock.set(at);
    Removal removal = store.deleteAccount("acme").orElseThrow();

    List<Change> changes = store.changesSince(start, 100);
    // like the memory store: principals in path order (sa before user), each after its tokens
    assertThat(changes).extracting(Change::sequence, Change::type, Change::subject).containsExactly(
        tuple(start + 1, Change.Type.TOKEN, seed.token("t1").lookupId()),
        tuple(start + 2, Change.Type.TOKEN, seed.token("t2").lookupId()),
        tuple(start + 3, Change.Type.TOKEN, seed.token("t3").lookupId()),
        tuple(start + 4, Change.Type.TOKEN, seed.token("t4").lookupId()),
        tuple(start + 5, Change.Type.PRINCIPAL, "acme/sa/bot"),
        tuple(start + 6, Change.Type.TOKEN, seed.token("t5").lookupId()),
        tuple(start + 7, Change.Type.PRINCIPAL, "acme/user/alice"));
    assertThat(changes).extracting(Change::at).containsOnly(at);
    assertThat(removal.principals()).containsExactlyInAnyOrder(seed.bot.ref(), seed.alice.ref());
    assertThat(removal.tokenLookupIds()).hasSize(5);
    assertThat(store.latestSequence()).isEqualTo(start + 7);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void failedMutationsGiveTheirNumbersBack(TestDatabase.Kind kind) {
    TestDatabase db = DATABASES.fresh(kind);
    FaultyDataSource faulty = new FaultyDataSource(db.dataSource(), Connection::close);
    JdbcTokenStore store = JdbcTokenStore.builder(faulty).dialect(db.dialect()).build();
    Seed seed = Seed.standard(store);
    long head = store.latestSequence();
    TokenRecord t1 = seed.token("t1");

    // steps of deleteApiKey: lock key, lock tokens, delete tokens, delete key, increment the counter,
    // read it, insert the changes, commit. Fail each of the last four: the increment is rolled back.
    for (int step = 5; step <= 8; step++) {
      faulty.arm(Fault.FAIL_STATEMENT, step);
      assertThatThrownBy(() -> store.deleteApiKey(seed.k1.ref())).isInstanceOf(StoreException.class);
      assertThat(faulty.fired()).isTrue();
    }
    faulty.disarm();
    assertThat(store.findApiKey(seed.k1.ref())).isPresent();
    assertThatThrownBy(() -> store.insertToken(Seed.token(seed.k1.ref(), "t9"), 3, T0))
        .isInstanceOf(LimitExceededException.class);
    assertThat(store.latestSequence()).isEqualTo(head);

    assertThat(store.updateToken(1, Seed.revoked(t1))).isTrue();
    assertThat(store.changesSince(head, 10)).extracting(Change::sequence, Change::subject)
        .containsExactly(tuple(head + 1, t1.lookupId()));
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void editsThatAppendNothingDoNotWaitForTheChangeCounter(TestDatabase.Kind kind) throws Exception {
    TestDatabase db = DATABASES.fresh(kind);
    JdbcTokenStore store = db.store();
    Seed seed = Seed.standard(store);
    long head = store.latestSequence();
    TokenRecord t1 = seed.token("t1");
    TokenRecord t2 = seed.token("t2");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Boolean> revoke;
      try (Connection holder = db.dataSource().getConnection()) {
        // hold the counter row's lock, as a writer that appends does until it commits
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement();
            ResultSet rs = s.executeQuery("SELECT last_seq FROM latchkey_change_counter WHERE id = 1 FOR UPDATE")) {
          assertThat(rs.next()).isTrue();
        }
        Future<Boolean> rename = pool.submit(() -> store.updateToken(1, Seed.renamed(t1, "renamed")));
        assertThat(rename.get(10, TimeUnit.SECONDS)).as("a rename does not queue behind appending writers").isTrue();
        revoke = pool.submit(() -> store.updateToken(1, Seed.revoked(t2)));
        Thread.sleep(300);
        assertThat(revoke).as("a revocation appends, so it waits for the counter").isNotDone();
        holder.rollback();
      }
      assertThat(revoke.get(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.changesSince(head, 10)).extracting(Change::sequence, Change::subject)
        .containsExactly(tuple(head + 1, t2.lookupId()));
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void pruningDeletesTheOldRunButAlwaysKeepsTheNewest(TestDatabase.Kind kind) {
    MutableClock clock = new MutableClock(T0);
    JdbcTokenStore store = DATABASES.fresh(kind).store(clock);
    assertThat(store.pruneBefore(T0.plusSeconds(999))).as("empty feed").isZero();
    Seed seed = Seed.standard(store); // changes 1..3 at T0
    TokenRecord t = seed.token("t1");
    for (int i = 1; i <= 5; i++) { // changes 4..8 at T0 + i minutes
      clock.set(T0.plus(Duration.ofMinutes(i)));
      TokenRecord next = Seed.expiring(t, T0.plus(Duration.ofDays(20 + i)));
      assertThat(store.updateToken(t.version(), next)).isTrue();
      t = next;
    }
    assertThat(store.pruneBefore(T0)).as("nothing is older than T0").isZero();
    assertThat(store.pruneBefore(T0.plus(Duration.ofMinutes(2)))).as("T0 x3 and T0+1m").isEqualTo(4);
    assertThat(store.changesSince(0, 100)).extracting(Change::sequence).containsExactly(5L, 6L, 7L, 8L);
    assertThat(store.changesSince(0, 100).get(0).at()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(store.pruneBefore(T0.plus(Duration.ofDays(1)))).as("all but the newest").isEqualTo(3);
    assertThat(store.changesSince(0, 100)).extracting(Change::sequence).containsExactly(8L);
    assertThat(store.pruneBefore(T0.plus(Duration.ofDays(1)))).isZero();
    assertThat(store.latestSequence()).isEqualTo(8);
    // a reader at 3 sees the gap: the next change it gets is 8
    assertThat(store.changesSince(3, 10)).extracting(Change::sequence).containsExactly(8L);
    clock.set(T0.plus(Duration.ofDays(2)));
    store.deleteToken(t.token().ref());
    assertThat(store.changesSince(0, 100)).extracting(Change::sequence).containsExactly(8L, 9L);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void readsRespectTheLimitAndRefuseANonPositiveOne(TestDatabase.Kind kind) {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    Seed.standard(store);
    assertThat(store.changesSince(0, 2)).extracting(Change::sequence).containsExactly(1L, 2L);
    assertThat(store.changesSince(2, 1000)).extracting(Change::sequence).containsExactly(3L);
    assertThat(store.changesSince(3, 1000)).isEmpty();
    assertThat(store.changesSince(-5, Integer.MAX_VALUE)).hasSize(3);
    assertThatThrownBy(() -> store.changesSince(0, 0)).isInstanceOf(InvalidArgumentException.class);
  }
}
