package dev.latchkey.jdbc;

import dev.latchkey.ConflictException;
import dev.latchkey.NotFoundException;
import dev.latchkey.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Runs units of work on connections borrowed from the host's {@link DataSource}: reads as single
 * statements, writes as one transaction each (autocommit off, commit, rollback on any failure, the
 * connection's autocommit restored before it goes back to the pool). Translates {@link
 * SQLException}s into Latchkey's exceptions, naming the operation and never quoting data.
 */
final class Jdbc {
  /** Attempts of one write when the database reports a deadlock, serialization failure or lock timeout. */
  static final int MAX_ATTEMPTS = 5;

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** A check of the schema that runs before the first unit of work (see {@link JdbcSchema#checkLookupIdColumn}). */
  @FunctionalInterface
  interface SchemaCheck {
    /**
     * Throws {@link dev.latchkey.ConfigurationException} if the schema must not be used; returns
     * false if it cannot tell yet (the tables do not exist), so that the next unit checks again.
     */
    boolean passes(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  private final SchemaCheck schemaCheck;
  private volatile boolean schemaChecked;

  Jdbc(DataSource dataSource, SchemaCheck schemaCheck) {
    this.dataSource = dataSource;
    this.schemaCheck = schemaCheck;
  }

  /** Runs read-only work. If the pool hands out non-autocommit connections, the read transaction is ended. */
  <T> T read(String operation, Work<T> work) {
    Connection c = connect(operation);
    try {
      checkSchemaOnce(c);
      T result = work.run(c);
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return result;
    } catch (SQLException e) {
      rollbackAfterFailure(c, e);
      throw translate(operation, e);
    } catch (RuntimeException | Error e) {
      rollbackAfterFailure(c, e);
      throw e;
    } finally {
      closeQuietly(c);
    }
  }

  /**
   * Runs {@code work} in one transaction and commits it. Any failure rolls everything back. A
   * deadlock, serialization failure or lock timeout reported by the database re-runs the whole unit
   * (up to {@value #MAX_ATTEMPTS} attempts), so {@code work} must not keep state between runs.
   */
  <T> T write(String operation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return writeOnce(operation, work);
      } catch (SQLException e) {
        if (isTransient(e) && attempt < MAX_ATTEMPTS) {
          backOff(attempt);
          continue;
        }
        throw translate(operation, e);
      }
    }
  }

  private <T> T writeOnce(String operation, Work<T> work) throws SQLException {
    Connection c = connect(operation);
    boolean restoreAutoCommit = false;
    try {
      if (c.getAutoCommit()) {
        c.setAutoCommit(false);
        restoreAutoCommit = true;
      }
      checkSchemaOnce(c);
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      rollbackAfterFailure(c, e);
      throw e;
    } finally {
      if (restoreAutoCommit) {
        try {
          c.setAutoCommit(true);
        } catch (SQLException e) {
          // The connection is broken; the pool will discard it when it is closed.
        }
      }
      closeQuietly(c);
    }
  }

  /**
   * Runs the schema check until it passes once. It costs one catalog query on the first unit of
   * work; a schema that fails it fails every unit, before any data is read or written.
   */
  private void checkSchemaOnce(Connection c) throws SQLException {
    if (!schemaChecked && schemaCheck.passes(c)) {
      schemaChecked = true;
    }
  }

  private Connection connect(String operation) {
    try {
      Connection c = dataSource.getConnection();
      if (c == null) {
        throw new StoreException(operation + " failed: the DataSource returned no connection");
      }
      return c;
    } catch (SQLException e) {
      throw new StoreException(operation + " failed: cannot get a database connection: " + describe(e), e);
    }
  }

  private static void rollbackAfterFailure(Connection c, Throwable failure) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      // A lost connection rolls back on the server side; keep the original failure.
      failure.addSuppressed(e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Nothing useful to do: the unit of work has already succeeded or failed.
    }
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static RuntimeException translate(String operation, SQLException e) {
    String state = sqlState(e);
    if ("23505".equals(state)) {
      return new ConflictException(operation + " failed: the identifier is already taken (a concurrent insert won)");
    }
    if ("23503".equals(state) || "23506".equals(state)) {
      return new NotFoundException(operation + " failed: a referenced entity does not exist (deleted concurrently?)");
    }
    String hint = isUndefinedTable(e)
        ? " (has the Latchkey schema been created? run JdbcSchema.migrate(dataSource) or apply the scripts in"
            + " db/latchkey/<dialect>)"
        : "";
    return new StoreException(operation + " failed: " + describe(e) + hint, e);
  }

  static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(sqlState(e));
  }

  /** Deadlock, serialization failure, lock timeout or H2's concurrent update: worth re-running the whole unit. */
  static boolean isTransient(SQLException e) {
    String state = sqlState(e);
    return "40001".equals(state) // serialization failure (PostgreSQL), deadlock (H2)
        || "40P01".equals(state) // deadlock detected (PostgreSQL)
        || "55P03".equals(state) // lock not available (PostgreSQL lock_timeout)
        || "HYT00".equals(state) // lock timeout (H2)
        || "90131".equals(state); // concurrent update (H2)
  }

  private static boolean isUndefinedTable(SQLException e) {
    String state = sqlState(e);
    return "42P01".equals(state) || "42S02".equals(state) || "42102".equals(state);
  }

  /** The first SQLState found in the exception chain. */
  static String sqlState(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /** SQLState and the first line of the driver's message, shortened: no statement text, no data dumps. */
  static String describe(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    String state = sqlState(e);
    return state == null ? message : message + " [SQLState " + state + "]";
  }
}
