package dev.latchkey.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.jdbc.JdbcSchema;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.TokenStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A fresh, empty store of one kind and whatever runs under it: nothing for {@code memory}, an
 * in-memory H2 database for {@code h2}, an embedded PostgreSQL server for {@code postgresql} (both
 * behind a HikariCP pool, schema created with {@link JdbcSchema#migrate}). Closing it stops the
 * pool and the server.
 */
final class Backend implements AutoCloseable {
  /** The values benchmarks use for their {@code store} parameter. */
  static final String MEMORY = "memory";
  static final String H2 = "h2";
  static final String POSTGRESQL = "postgresql";

  private static final int POOL_SIZE = 4;

  private final String kind;
  private final TokenStore store;
  private final HikariDataSource pool;
  private final EmbeddedPostgres postgres;

  private Backend(String kind, TokenStore store, HikariDataSource pool, EmbeddedPostgres postgres) {
    this.kind = kind;
    this.store = store;
    this.pool = pool;
    this.postgres = postgres;
  }

  static Backend open(String kind) {
    switch (kind.toLowerCase(Locale.ROOT)) {
      case MEMORY:
        return new Backend(MEMORY, new MemoryTokenStore(), null, null);
      case H2: {
        // DB_CLOSE_DELAY=-1 keeps the database while the pool briefly holds no connection.
        HikariDataSource pool = pool("jdbc:h2:mem:latchkey_bench;DB_CLOSE_DELAY=-1", "sa", "");
        return jdbc(H2, pool, null);
      }
      case POSTGRESQL: {
        EmbeddedPostgres pg;
        try {
          pg = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
          throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
        }
        try {
          return jdbc(POSTGRESQL, pool(pg.getJdbcUrl("postgres", "postgres"), "postgres", ""), pg);
        } catch (RuntimeException e) {
          closeQuietly(pg);
          throw e;
        }
      }
      default:
        throw new IllegalArgumentException("unknown store '" + kind + "': use memory, h2 or postgresql");
    }
  }

  private static Backend jdbc(String kind, HikariDataSource pool, EmbeddedPostgres pg) {
    try {
      JdbcSchema.migrate(pool);
      return new Backend(kind, JdbcTokenStore.builder(pool).build(), pool, pg);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE);
    config.setPoolName("latchkey-bench-" + url.substring(5, url.indexOf(':', 5)));
    return new HikariDataSource(config);
  }

  String kind() {
    return kind;
  }

  TokenStore store() {
    return store;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
    if (postgres != null) {
      closeQuietly(postgres);
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      System.err.println("could not stop the embedded PostgreSQL server: " + e);
    }
  }
}
