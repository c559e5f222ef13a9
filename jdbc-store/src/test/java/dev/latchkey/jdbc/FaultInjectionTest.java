package dev.latchkey.jdbc;

import static dev.latchkey.jdbc.Seed.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.StoreException;
import dev.latchkey.jdbc.FaultyDataSource.Fault;
import dev.latchkey.spi.TokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * For every mutation, and for every step N of it (each statement and the commit): a fault at step N
 * either fails the statement or drops the connection mid-transaction. The caller must get a {@link
 * StoreException} naming the operation and the database must be exactly as before (all tables,
 * including the change feed and its counter); after the last step the same store succeeds.
 */
class FaultInjectionTest {
  private static TestDatabase postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = TestDatabase.postgres().migrated();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private record Op(String name, Consumer<Fixture> run) {}

  private record Fixture(TokenStore store, Seed seed) {}

  private static final List<Op> OPERATIONS = List.of(
      new Op("insertAccount", f -> f.store.insertAccount(Seed.account("fresh"))),
      new Op("insertPrincipal", f -> f.store.insertPrincipal(Seed.serviceAccount("acme", "bot2"))),
      new Op("insertApiKey", f -> f.store.insertApiKey(Seed.apiKey(f.seed.bot.ref(), "k3"), 10)),
      new Op("insertToken", f -> f.store.insertToken(Seed.token(f.seed.k1.ref(), "t9"), 10, T0)),
      new Op("updatePrincipal", f -> assertThat(f.store.updatePrincipal(1, f.seed.bot.withEnabled(false))).isTrue()),
      new Op("updateApiKey", f -> assertThat(f.store.updateApiKey(1, Seed.renamed(f.seed.k1, "renamed"))).isTrue()),
      new Op("updateToken", f -> assertThat(f.store.updateToken(1,
          Seed.rotated(f.seed.token("t1"), Seed.hash(2, "new"), T0.plusSeconds(99)))).isTrue()),
      new Op("deleteToken", f -> assertThat(f.store.deleteToken(f.seed.token("t2").token().ref())).isPresent()),
      new Op("deleteApiKey", f -> assertThat(f.store.deleteApiKey(f.seed.k1.ref())).isPresent()),
      new Op("deletePrincipal", f -> assertThat(f.store.deletePrincipal(f.seed.bot.ref(), 1)).isPresent()),
      new Op("deleteAccount", f -> assertThat(f.store.deleteAccount("acme")).isPresent()),
      new Op("recordLastUsed", f -> f.store.lastUsedSink().orElseThrow().recordLastUsed(Map.of(
          f.seed.token("t1").lookupId(), T0.plusSeconds(3600),
          f.seed.token("t4").lookupId(), T0.plusSeconds(3601),
          f.seed.token("t5").lookupId(), T0.plusSeconds(3602)))),
      new Op("pruneBefore", f -> assertThat(f.store.changeFeed().orElseThrow()
          .pruneBefore(Instant.now().plusSeconds(86_400))).isPositive()));

  @ParameterizedTest
  @EnumSource(Fault.class)
  void everyStepOfEveryMutationIsAllOrNothingOnH2(Fault fault) {
    for (Op op : OPERATIONS) {
      try (TestDatabase db = TestDatabase.h2Memory().migrated()) {
        FaultyDataSource faulty = new FaultyDataSource(db.dataSource(), Connection::close);
        runEveryStep(op, fault, db, faulty);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void everyStepOfEveryMutationIsAllOrNothingOnPostgres(Fault fault) {
    FaultyDataSource faulty = new FaultyDataSource(postgres.dataSource(),
        physical -> terminateBackend(postgres.dataSource(), physical));
    for (Op op : OPERATIONS) {
      postgres.truncate();
      runEveryStep(op, fault, postgres, faulty);
    }
  }

  private static void runEveryStep(Op op, Fault fault, TestDatabase db, FaultyDataSource faulty) {
    Seed seed = Seed.standard(db.store());
    JdbcTokenStore store = JdbcTokenStore.builder(faulty).dialect(db.dialect()).build();
    Fixture fixture = new Fixture(store, seed);
    Map<String, List<String>> before = TableDump.of(db.dataSource());
    for (int n = 1; ; n++) {
      faulty.arm(fault, n);
      try {
        op.run.accept(fixture);
      } catch (StoreException e) {
        faulty.disarm();
        assertThat(faulty.fired()).as("%s failed without the fault at step %d: %s", op.name, n, e).isTrue();
        assertThat(e.getMessage()).as("message of %s at step %d", op.name, n).startsWith(op.name + " failed");
        assertThat(TableDump.of(db.dataSource())).as("%s after a %s at step %d", op.name, fault, n)
            .isEqualTo(before);
        continue;
      }
      faulty.disarm();
      if (faulty.fired()) {
        fail("%s succeeded although a %s was injected at step %d", op.name, fault, n);
      }
      // all steps covered; the same store works again and the operation did change something
      assertThat(n).as("steps of %s", op.name).isGreaterThan(1);
      assertThat(TableDump.of(db.dataSource())).as("%s had an effect", op.name).isNotEqualTo(before);
      return;
    }
  }

  /** Kills the server process behind a pooled connection and waits until it is gone. */
  private static void terminateBackend(DataSource admin, Connection pooled) throws SQLException {
    int pid = pooled.unwrap(org.postgresql.PGConnection.class).getBackendPID();
    try (Connection c = admin.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
        ps.setInt(1, pid);
        ps.execute();
      }
      for (int i = 0; i < 500; i++) {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE pid = ?")) {
          ps.setInt(1, pid);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return;
            }
          }
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      throw new IllegalStateException("backend " + pid + " did not terminate");
    }
  }

  // ------------------------------------------------------------------ unavailable database

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void aDatabaseThatIsDownFailsEveryCallWithAStoreExceptionAndTheStoreRecovers(TestDatabase.Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind).migrated()) {
      FaultyDataSource faulty = new FaultyDataSource(db.dataSource(), Connection::close);
      JdbcTokenStore store = JdbcTokenStore.builder(faulty).build();
      Seed seed = Seed.standard(store);
      ApiKeyRef k1 = seed.k1.ref();
      faulty.setDown(true);
      assertThatThrownBy(() -> store.findTokenByLookupId(seed.token("t1").lookupId()))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("findTokenByLookupId failed: cannot get a database connection")
          .hasMessageContaining("Connection refused");
      assertThatThrownBy(() -> store.insertToken(Seed.token(k1, "t9"), 10, T0))
          .isInstanceOf(StoreException.class).hasMessageStartingWith("insertToken failed");
      assertThatThrownBy(() -> store.changesSince(0, 10))
          .isInstanceOf(StoreException.class).hasMessageStartingWith("changesSince failed");
      assertThatThrownBy(() -> JdbcTokenStore.builder(faulty).build())
          .isInstanceOf(StoreException.class).hasMessageContaining("detecting the database dialect failed");

      faulty.setDown(false);
      assertThat(store.findTokenByLookupId(seed.token("t1").lookupId())).contains(seed.token("t1"));
      store.insertToken(Seed.token(k1, "t9"), 10, T0);
      assertThat(store.findToken(k1.token("t9"))).isPresent();
    }
  }

  @org.junit.jupiter.api.Test
  void aClosedPoolFailsWithAStoreException() {
    TestDatabase db = TestDatabase.postgres().migrated();
    JdbcTokenStore store = db.store();
    store.insertAccount(Seed.account("acme"));
    db.close(); // closes the pool and drops the database
    assertThatThrownBy(() -> store.findAccount("acme"))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("findAccount failed: cannot get a database connection");
  }

  @org.junit.jupiter.api.Test
  void anUnreachableServerFailsWithAStoreException() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("postgres");
    ds.setUser("postgres");
    ds.setConnectTimeout(2);
    assertThatThrownBy(() -> JdbcTokenStore.builder(ds).build())
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("detecting the database dialect failed")
        .hasMessageContaining("choose the dialect explicitly");
    JdbcTokenStore store = JdbcTokenStore.builder(ds).dialect(Dialect.POSTGRESQL).build();
    assertThatThrownBy(() -> store.latestSequence())
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("latestSequence failed: cannot get a database connection");
    assertThatThrownBy(() -> JdbcSchema.migrate(ds, Dialect.POSTGRESQL))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("schema migration failed");
  }
}
