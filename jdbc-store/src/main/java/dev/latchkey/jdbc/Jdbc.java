package dev.latchkey.jdbc;

import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Runs units of work on connections borrowed from the host's {@link DataSource}: reads as single
 * statements, writes as one transaction each (autocommit off, commit, rollback on any failure, the
 * connection's autocommit restored before it goes back to the pool). Translates {@link
 * SQLException}s into Latchkey's exceptions, naming the operation and never quoting data.
 *
 * <p>Below the runner, the statement helpers every part of the store shares. Parameters are bound
 * through {@link Rows.Binder}, typed, left to right; rows are mapped by a {@link Mapper}, and a row
 * that does not make a valid domain value is reported as a store failure.
 */
final class Jdbc {
  /** Attempts of one write when the database reports a deadlock, serialization failure or lock timeout. */
  static final int MAX_ATTEMPTS = 5;

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  interface Params {
    Params NONE = b -> { };

    void bind(Rows.Binder b) throws SQLException;
  }

  @FunctionalInterface
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
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
      throw SqlStates.translate(operation, e);
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
        if (SqlStates.isTransient(e) && attempt < MAX_ATTEMPTS) {
          backOff(attempt);
          continue;
        }
        throw SqlStates.translate(operation, e);
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
      throw new StoreException(operation + " failed: cannot get a database connection: " + SqlStates.describe(e), e);
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

  // ------------------------------------------------------------------------ statement helpers

  /** A point query in a read of its own: the first row, mapped, or empty. */
  <T> Optional<T> find(String operation, String sql, Params params, Mapper<T> mapper) {
    return read(operation, c -> one(c, sql, params, mapper));
  }

  /** One page of a keyset listing in a read of its own. */
  <T> Page<T> list(String operation, Keyset<T> keyset, Params parent, PageRequest page) {
    return read(operation, c -> page(c, keyset, parent, page));
  }

  /** The first row, mapped, or empty. */
  static <T> Optional<T> one(Connection c, String sql, Params params, Mapper<T> mapper) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(map(rs, mapper)) : Optional.empty();
    }
  }

  /** Every row, mapped, in the statement's order. */
  static <T> List<T> all(Connection c, String sql, Params params, Mapper<T> mapper) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(map(rs, mapper));
      }
      return rows;
    }
  }

  static boolean exists(Connection c, String sql, Params params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /**
   * Runs a query that must find a row, typically the parent's {@code SELECT ... FOR UPDATE}: the
   * lock makes the checks and the insert that follow atomic against concurrent writes under that
   * parent. Throws {@code missing} if there is no row.
   */
  static void require(Connection c, String sql, Params params, Supplier<? extends RuntimeException> missing)
      throws SQLException {
    if (!exists(c, sql, params)) {
      throw missing.get();
    }
  }

  /** Throws {@code conflict} if the query finds a row. */
  static void refuse(Connection c, String sql, Params params, Supplier<ConflictException> conflict)
      throws SQLException {
    if (exists(c, sql, params)) {
      throw conflict.get();
    }
  }

  /** The single number a {@code SELECT COUNT(*)} returns. */
  static int count(Connection c, String sql, Params params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Runs an UPDATE or DELETE; returns the rows it changed. */
  static int update(Connection c, String sql, Params params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  /** Runs an INSERT; a unique-key violation becomes {@code conflict}. */
  static void insert(Connection c, String sql, Params params, Supplier<ConflictException> conflict)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      ps.executeUpdate();
    } catch (SQLException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw conflict.get();
      }
      throw e;
    }
  }

  /**
   * A listing ordered by one identifier column and paged by key: {@code first} reads the first
   * page, {@code after} the pages after an identifier. Both end with the parameters (after the
   * parent's) {@code [identifier >] ?} and {@code FETCH FIRST ? ROWS ONLY}.
   */
  record Keyset<T>(String first, String after, Mapper<T> mapper, Function<T, String> cursorOf) {
    /**
     * From {@code select}, the rows of one parent ({@code "SELECT ... FROM t WHERE parent = ?"}, or
     * without WHERE for a listing of everything), ordered by {@code idColumn}.
     */
    static <T> Keyset<T> of(String select, String idColumn, Mapper<T> mapper, Function<T, String> cursorOf) {
      String order = " ORDER BY " + idColumn + " FETCH FIRST ? ROWS ONLY";
      String and = select.contains(" WHERE ") ? " AND " : " WHERE ";
      return new Keyset<>(select + order, select + and + idColumn + " > ?" + order, mapper, cursorOf);
    }
  }

  /** One page of a keyset listing under {@code parent}. */
  static <T> Page<T> page(Connection c, Keyset<T> keyset, Params parent, PageRequest page) throws SQLException {
    String requested = page.after();
    String after = requested == null ? null : cursor(requested);
    Params params = b -> {
      parent.bind(b);
      if (after != null) {
        b.string(after);
      }
      b.intValue(page.limit() + 1);
    };
    return page(c, after != null ? keyset.after() : keyset.first(), params, page, keyset.mapper(),
        keyset.cursorOf());
  }

  /**
   * One page from a statement that reads up to limit + 1 rows: the extra row (not mapped) only says
   * that another page follows, and the page's cursor is that of its last item.
   */
  static <T> Page<T> page(Connection c, String sql, Params params, PageRequest page, Mapper<T> mapper,
      Function<T, String> cursorOf) throws SQLException {
    List<T> items = new ArrayList<>();
    boolean more = false;
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (items.size() == page.limit()) {
          more = true;
          break;
        }
        items.add(map(rs, mapper));
      }
    }
    return Page.of(items, more ? cursorOf.apply(items.get(items.size() - 1)) : null);
  }

  private static String cursor(String cursor) {
    // Identifier cursors are compared as strings, like the memory store does; only a character the
    // database cannot hold is refused.
    if (cursor.indexOf('\0') >= 0) {
      throw new InvalidArgumentException("page cursor must not contain NUL characters");
    }
    return cursor;
  }

  private static PreparedStatement prepare(Connection c, String sql, Params params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      params.bind(Rows.bind(ps));
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private static <T> T map(ResultSet rs, Mapper<T> mapper) throws SQLException {
    try {
      return mapper.map(rs);
    } catch (RuntimeException e) {
      throw new SQLException("a stored row is not valid Latchkey data: " + e.getMessage(), "XX001", e);
    }
  }
}
