package dev.latchkey.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.testsupport.SharedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A real, empty database for one test class: H2 in memory, H2 in a file, or a fresh database on the
 * PostgreSQL server shared by the whole test JVM. Closing it releases the pool and the database.
 */
final class TestDatabase implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  enum Kind { H2_MEMORY, H2_FILE, POSTGRESQL }

  private final Kind kind;
  private final String name;
  private final DataSource dataSource;
  private final AutoCloseable onClose;

  private TestDatabase(Kind kind, String name, DataSource dataSource, AutoCloseable onClose) {
    this.kind = kind;
    this.name = name;
    this.dataSource = dataSource;
    this.onClose = onClose;
  }

  static TestDatabase create(Kind kind) {
    return switch (kind) {
      case H2_MEMORY -> h2Memory();
      case H2_FILE -> h2File();
      case POSTGRESQL -> postgres();
    };
  }

  /** A fresh, unmigrated H2 in-memory database (no pool: H2 sessions are cheap). */
  static TestDatabase h2Memory() {
    return h2Memory("");
  }

  /** Like {@link #h2Memory()}, with settings appended to the URL, e.g. {@code ;IGNORECASE=TRUE}. */
  static TestDatabase h2Memory(String urlSettings) {
    String name = "lk" + COUNTER.incrementAndGet();
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + urlSettings);
    return new TestDatabase(Kind.H2_MEMORY, name, ds, () -> shutdownH2(ds));
  }

  /** A fresh, unmigrated H2 file database in a temporary directory, behind a HikariCP pool. */
  static TestDatabase h2File() {
    try {
      Path dir = Files.createTempDirectory("latchkey-h2-");
      String name = "lk" + COUNTER.incrementAndGet();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl("jdbc:h2:file:" + dir.resolve(name) + ";LOCK_TIMEOUT=10000");
      config.setMaximumPoolSize(12);
      config.setPoolName("h2-" + name);
      HikariDataSource ds = new HikariDataSource(config);
      return new TestDatabase(Kind.H2_FILE, name, ds, () -> {
        ds.close(); // the last connection closing closes the H2 database
        deleteRecursively(dir);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new database on the shared PostgreSQL server, behind a HikariCP pool. */
  static TestDatabase postgres() {
    SharedPostgres.Database db = SharedPostgres.freshDatabase(12);
    return new TestDatabase(Kind.POSTGRESQL, db.name(), db.dataSource(), db::close);
  }

  Kind kind() {
    return kind;
  }

  String name() {
    return name;
  }

  DataSource dataSource() {
    return dataSource;
  }

  Dialect dialect() {
    return kind == Kind.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.H2;
  }

  TestDatabase migrated() {
    JdbcSchema.migrate(dataSource);
    return this;
  }

  JdbcTokenStore store() {
    return JdbcTokenStore.builder(dataSource).build();
  }

  JdbcTokenStore store(Clock clock) {
    return JdbcTokenStore.builder(dataSource).clock(clock).build();
  }

  /** Empties every Latchkey table and restarts the change feed at 0. */
  void truncate() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String table : new String[] {"latchkey_token", "latchkey_api_key", "latchkey_principal",
          "latchkey_account", "latchkey_change", "latchkey_pepper_check"}) {
        s.executeUpdate("DELETE FROM " + table);
      }
      s.executeUpdate("UPDATE latchkey_change_counter SET last_seq = 0");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      onClose.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing test database " + name, e);
    }
  }

  @Override
  public String toString() {
    return kind + ":" + name;
  }

  private static void shutdownH2(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
