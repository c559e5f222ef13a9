package dev.latchkey.jdbc;

import dev.latchkey.ConfigurationException;
import dev.latchkey.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in schema initializer: creates or upgrades Latchkey's tables by applying the versioned
 * scripts shipped in the jar ({@code db/latchkey/<dialect>/V<n>__<description>.sql}) that the
 * database has not seen yet, recording each in {@code latchkey_schema_version}.
 *
 * <p>Safe when several nodes start at once: on PostgreSQL the whole upgrade is one transaction
 * holding a transaction-scoped advisory lock; on H2 (whose DDL commits implicitly) a second
 * connection holds a row lock on {@code latchkey_schema_lock} while the scripts run, so an upgrade
 * on H2 needs two connections from the pool at once. When the schema is already current, one
 * query on one connection is all this does. Applications
 * that manage their schema with Flyway or Liquibase apply the same scripts instead and never call
 * this class.
 */
public final class JdbcSchema {
  private static final Logger log = LoggerFactory.getLogger(JdbcSchema.class);

  /** Arbitrary constant key of the PostgreSQL advisory lock ("LATCHKEY" in ASCII, roughly). */
  private static final long ADVISORY_LOCK_KEY = 0x4C41_5443_484B_4559L;
  private static final long LOCK_WAIT_MILLIS = 120_000;

  /** The scripts, in order. A new schema version adds a line here and one script per dialect. */
  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "latchkey_schema"),
      new Migration(2, "pepper_checks"));

  record Migration(int version, String description) {
    String scriptName() {
      return "V" + version + "__" + description + ".sql";
    }
  }

  private JdbcSchema() {}

  /** The schema version this library's scripts lead to. */
  public static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Brings the database's Latchkey schema up to {@link #latestVersion()}, detecting the dialect.
   * Idempotent; returns the schema version afterwards (higher than {@link #latestVersion()} if a
   * newer Latchkey already upgraded it, in which case nothing is changed).
   *
   * @throws StoreException if the database fails; nothing of a failed script is kept on PostgreSQL
   * @throws ConfigurationException for an unsupported database
   */
  public static int migrate(DataSource dataSource) {
    if (dataSource == null) {
      throw new ConfigurationException("a DataSource is required");
    }
    return migrate(dataSource, Dialect.detect(dataSource));
  }

  /** Like {@link #migrate(DataSource)} with the dialect given. */
  public static int migrate(DataSource dataSource, Dialect dialect) {
    if (dataSource == null || dialect == null) {
      throw new ConfigurationException("a DataSource and a dialect are required");
    }
    try {
      int current = installedVersion(dataSource);
      if (current >= latestVersion()) {
        return current; // the usual start: nothing to do, no lock taken
      }
      return switch (dialect) {
        case POSTGRESQL -> migratePostgresql(dataSource);
        case H2 -> migrateH2(dataSource);
      };
    } catch (SQLException e) {
      throw new StoreException("schema migration failed: " + Jdbc.describe(e), e);
    }
  }

  /** The highest applied version, or 0 when the version table does not exist yet. */
  private static int installedVersion(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT MAX(version) FROM latchkey_schema_version")) {
        return rs.next() ? rs.getInt(1) : 0;
      } catch (SQLException e) {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
        return 0; // no version table: a new database (any other problem shows up again when migrating)
      }
    }
  }

  private static int migratePostgresql(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          ps.setLong(1, ADVISORY_LOCK_KEY);
          ps.execute();
        }
        int version = applyPending(c, Dialect.POSTGRESQL);
        c.commit();
        return version;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private static int migrateH2(DataSource dataSource) throws SQLException {
    try (Connection lock = dataSource.getConnection(); Connection work = dataSource.getConnection()) {
      boolean lockAutoCommit = lock.getAutoCommit();
      boolean workAutoCommit = work.getAutoCommit();
      try (Statement s = lock.createStatement()) {
        if (!lockAutoCommit) {
          lock.setAutoCommit(true);
        }
        s.execute("CREATE TABLE IF NOT EXISTS latchkey_schema_lock (id INTEGER NOT NULL PRIMARY KEY)");
        s.execute("INSERT INTO latchkey_schema_lock (id) SELECT 1 WHERE NOT EXISTS"
            + " (SELECT 1 FROM latchkey_schema_lock WHERE id = 1)");
      } catch (SQLException e) {
        if (!Jdbc.isUniqueViolation(e)) { // a concurrent initializer inserted the row first
          throw e;
        }
      }
      lock.setAutoCommit(false);
      try {
        acquireH2Lock(lock);
        checkH2Collation(work);
        // H2 commits DDL implicitly, so the scripts run in autocommit on their own connection while
        // the lock connection's row lock keeps other initializers waiting.
        work.setAutoCommit(true);
        return applyPending(work, Dialect.H2);
      } finally {
        rollbackQuietly(lock, null);
        lock.setAutoCommit(lockAutoCommit);
        work.setAutoCommit(workAutoCommit);
      }
    }
  }

  private static void acquireH2Lock(Connection lock) throws SQLException {
    long deadline = System.nanoTime() + LOCK_WAIT_MILLIS * 1_000_000;
    while (true) {
      try (PreparedStatement ps = lock.prepareStatement("SELECT id FROM latchkey_schema_lock WHERE id = 1 FOR UPDATE");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the latchkey_schema_lock row is missing", "XX001");
        }
        return;
      } catch (SQLException e) {
        // H2 gives up waiting for a row lock after its LOCK_TIMEOUT; keep waiting up to our own deadline.
        if (!Jdbc.isTransient(e) || System.nanoTime() > deadline) {
          throw e;
        }
        lock.rollback();
      }
    }
  }

  /** Keyset pagination needs identifiers ordered like Java strings: refuse an H2 database with a collation. */
  private static void checkH2Collation(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT CASE WHEN 'Z' < 'a' AND 'B' < '_' AND '_' < 'a' THEN 1 ELSE 0 END")) {
      rs.next();
      if (rs.getInt(1) != 1) {
        throw new ConfigurationException("this H2 database compares strings with a collation; Latchkey needs"
            + " H2's default binary ordering (remove the COLLATION setting)");
      }
    }
  }

  /** Applies every script the version table does not list yet; returns the resulting version. */
  private static int applyPending(Connection c, Dialect dialect) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS latchkey_schema_version ("
          + " version INTEGER NOT NULL PRIMARY KEY,"
          + " description VARCHAR(200) NOT NULL,"
          + " script VARCHAR(200) NOT NULL,"
          + " installed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
    }
    int current = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM latchkey_schema_version")) {
      if (rs.next()) {
        current = rs.getInt(1);
      }
    }
    for (Migration m : MIGRATIONS) {
      if (m.version() <= current) {
        continue;
      }
      String resource = dialect.scriptLocation() + "/" + m.scriptName();
      for (String statement : statements(load(resource))) {
        try (Statement s = c.createStatement()) {
          s.execute(statement);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO latchkey_schema_version (version, description, script) VALUES (?, ?, ?)")) {
        ps.setInt(1, m.version());
        ps.setString(2, m.description());
        ps.setString(3, m.scriptName());
        ps.executeUpdate();
      }
      log.info("Latchkey schema: applied {} ({})", resource, dialect);
      current = m.version();
    }
    return current;
  }

  static String load(String resource) {
    try (InputStream in = JdbcSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StoreException("schema script " + resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("schema script " + resource + " cannot be read", e);
    }
  }

  /** Splits a script into statements: drops {@code --} comment lines, splits at {@code ;} ending a line. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().trim();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().trim());
    }
    return out;
  }

  private static void rollbackQuietly(Connection c, Throwable failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
  }
}
