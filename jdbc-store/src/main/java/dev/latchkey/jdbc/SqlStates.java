package dev.latchkey.jdbc;

import dev.latchkey.ConflictException;
import dev.latchkey.NotFoundException;
import dev.latchkey.StoreException;
import java.sql.SQLException;

/**
 * What a {@link SQLException} means, by its SQLState: a conflict, a missing parent, a failure worth
 * re-running the transaction for, or a store failure. Descriptions name the state and the first
 * line of the driver's message, never the statement or the data.
 */
final class SqlStates {
  private SqlStates() {}

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
