package dev.latchkey.jdbc;

import static dev.latchkey.jdbc.Seed.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.StoreException;
import dev.latchkey.spi.TokenRecord;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A real outage: the PostgreSQL server stops under a running store and comes back. While it is down
 * every call fails with a {@link StoreException} naming the operation; afterwards the same store
 * instance works again and nothing was lost or half-written.
 */
class PostgresRestartTest {

  @Test
  void theStoreFailsCleanlyWhileTheServerIsDownAndRecoversWhenItIsBack() throws Exception {
    Path dataDir = Files.createTempDirectory("latchkey-pg-restart-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedPostgres server = start(dataDir, port);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(1000);
    config.setPoolName("restart");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      JdbcSchema.migrate(pool);
      JdbcTokenStore store = JdbcTokenStore.builder(pool).dialect(Dialect.POSTGRESQL).build();
      Seed seed = Seed.standard(store);
      TokenRecord t1 = seed.token("t1");
      var before = TableDump.of(pool);

      server.close();
      assertThatThrownBy(() -> store.findTokenByLookupId(t1.lookupId()))
          .isInstanceOf(StoreException.class).hasMessageStartingWith("findTokenByLookupId failed");
      assertThatThrownBy(() -> store.deleteAccount("acme"))
          .isInstanceOf(StoreException.class).hasMessageStartingWith("deleteAccount failed");
      assertThatThrownBy(() -> store.insertToken(Seed.token(seed.k1.ref(), "t9"), 10, T0))
          .isInstanceOf(StoreException.class).hasMessageStartingWith("insertToken failed");
      assertThatThrownBy(() -> store.changesSince(0, 10))
          .isInstanceOf(StoreException.class).hasMessageStartingWith("changesSince failed");

      server = start(dataDir, port);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (true) {
        try {
          assertThat(store.findTokenByLookupId(t1.lookupId())).contains(t1);
          break;
        } catch (StoreException e) {
          // the pool may hand out a connection that died with the old server once
          assertThat(System.nanoTime()).as("store did not recover: " + e.getMessage()).isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      assertThat(TableDump.of(pool)).isEqualTo(before);
      assertThat(store.deleteAccount("acme")).isPresent();
      assertThat(store.latestSequence()).isEqualTo(3 + 7);
    } finally {
      server.close();
      try (var paths = Files.walk(dataDir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static EmbeddedPostgres start(Path dataDir, int port) throws java.io.IOException {
    return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
  }
}
