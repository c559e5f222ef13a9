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
      new Migration(2, "pepper_checks"),
      new Migration(3, "restrictions"),
      new Migration(4, "rate_limits"),
      new Migration(5, "audit_trail_and_expiry_notices"),
      new Migration(6, "last_used_address"));

  record Migration(int version, String description) {
    String scriptName() {
      return "V" + version + "__" + description + ".sql";
    }
  }

  private JdbcSchema() {}

  /**
   * The schema version this library's scripts lead to.
   *
   * @return the last migration's version
   */
  public static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Brings the database's Latchkey schema up to {@link #latestVersion()}, detecting the dialect.
   * Idempotent; returns the schema version afterwards (higher than {@link #latestVersion()} if a
   * newer Latchkey already upgraded it, in which case nothing is changed).
   *
   * @param dataSource the database to migrate
   * @return the schema version afterwards
   * @throws StoreException if the database fails; nothing of a failed script is kept on PostgreSQL
   * @throws ConfigurationException for an unsupported database
   */
  public static int migrate(DataSource dataSource) {
    if (dataSource == null) {
      throw new ConfigurationException("a DataSource is required");
    }
    return migrate(dataSource, Dialect.detect(dataSource));
  }

  /**
   * Like {@link #migrate(DataSource)} with the dialect given.
   *
   * @param dataSource the database to migrate
   * @param dialect the database's dialect
   * @return the schema version afterwards
   */
  public static int migrate(DataSource dataSource, Dialect dialect) {
    if (dataSource == null || dialect == null) {
      throw new ConfigurationException("a DataSource and a dialect are required");
    }
    try {
      try (Connection c = dataSource.getConnection()) {
        int current = installedVersion(c);
        if (current >= latestVersion()) {
          // the usual start: nothing to apply, no lock taken; the schema is still checked
          checkLookupIdColumn(c, dialect);
          endReadTransaction(c);
          return current;
        }
      }
      return switch (dialect) {
        case POSTGRESQL -> migratePostgresql(dataSource);
        case H2 -> migrateH2(dataSource);
      };
    } catch (SQLException e) {
      throw new StoreException("schema migration failed: " + SqlStates.describe(e), e);
    }
  }

  /**
   * Checks, without changing anything, that the database's Latchkey schema is at least {@link
   * #latestVersion()} (for applications that apply the scripts with Flyway or Liquibase and want to
   * fail at start rather than on the first token). Returns the installed version.
   *
   * @param dataSource the database to check
   * @return the installed schema version
   * @throws ConfigurationException if the schema is missing or older, saying how to bring it up
   * @throws StoreException if the database fails
   */
  public static int validate(DataSource dataSource) {
    if (dataSource == null) {
      throw new ConfigurationException("a DataSource is required");
    }
    Dialect dialect = Dialect.detect(dataSource);
    try (Connection c = dataSource.getConnection()) {
      int current = installedVersion(c);
      if (current < latestVersion()) {
        endReadTransaction(c);
        throw new ConfigurationException("the Latchkey schema is at version " + current + " but this library needs "
            + latestVersion() + ": apply the scripts under classpath:db/latchkey/" + dialect.name().toLowerCase(
                java.util.Locale.ROOT) + " (Flyway or Liquibase), or call JdbcSchema.migrate");
      }
      checkLookupIdColumn(c, dialect);
      endReadTransaction(c);
      return current;
    } catch (SQLException e) {
      throw new StoreException("schema validation failed: " + SqlStates.describe(e), e);
    }
  }

  /** The highest applied version, or 0 when the version table does not exist yet. */
  private static int installedVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM latchkey_schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      endReadTransaction(c);
      return 0; // no version table: a new database (any other problem shows up again when migrating)
    }
  }

  private static void endReadTransaction(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.rollback();
    }
  }

  /**
   * Refuses a {@code latchkey_token.lookup_id} column that compares case-insensitively. Lookup ids
   * are base62, where {@code a} and {@code A} are different digits: with such a column, a token
   * whose lookup id has one letter's case changed (and its checksum recomputed) finds another
   * token's record, and keeps verifying after that token is revoked. Detected from the catalog: on
   * H2 the column type {@code VARCHAR_IGNORECASE} (what {@code IGNORECASE=TRUE} gives new VARCHAR
   * columns) or a database collation that equates cases; on PostgreSQL the type {@code citext} (or
   * a domain over it) or a nondeterministic collation.
   *
   * @return true if the column exists and is fine, false if the table does not exist (yet)
   * @throws ConfigurationException saying how to fix the column
   */
  static boolean checkLookupIdColumn(Connection c, Dialect dialect) throws SQLException {
    return switch (dialect) {
      case H2 -> checkH2LookupIdColumn(c);
      case POSTGRESQL -> checkPostgresqlLookupIdColumn(c);
    };
  }

  private static final String CASE_INSENSITIVE = "latchkey_token.lookup_id compares case-insensitively";
  private static final String WHY = "; token lookup ids are case-sensitive (base62), and with this column a token whose"
      + " lookup id differs in the case of one letter would match another token. ";

  private static boolean checkH2LookupIdColumn(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DATA_TYPE, CASE WHEN 'a' = 'A' THEN 1 ELSE 0 END"
            + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
            + " AND LOWER(TABLE_NAME) = 'latchkey_token' AND LOWER(COLUMN_NAME) = 'lookup_id'")) {
      if (!rs.next()) {
        return false;
      }
      if ("VARCHAR_IGNORECASE".equalsIgnoreCase(rs.getString(1))) {
        throw new ConfigurationException(CASE_INSENSITIVE + " (its H2 type is VARCHAR_IGNORECASE, which a database"
            + " opened with IGNORECASE=TRUE gives new VARCHAR columns)" + WHY + "Remove IGNORECASE=TRUE from the"
            + " JDBC URL, then run: ALTER TABLE latchkey_token ALTER COLUMN lookup_id SET DATA TYPE VARCHAR(128)");
      }
      if (rs.getInt(2) == 1) {
        throw new ConfigurationException(CASE_INSENSITIVE + " (the H2 database's COLLATION setting treats upper and"
            + " lower case as equal)" + WHY + "Latchkey needs H2's default binary comparison: remove the COLLATION"
            + " setting");
      }
      return true;
    }
  }

  private static boolean checkPostgresqlLookupIdColumn(Connection c) throws SQLException {
    // to_regclass resolves the name through the search path, as the store's own statements do
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT t.typname, bt.typname, co.collname, co.collisdeterministic"
            + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
            + " LEFT JOIN pg_type bt ON bt.oid = t.typbasetype"
            + " LEFT JOIN pg_collation co ON co.oid = a.attcollation"
            + " WHERE a.attrelid = to_regclass('latchkey_token') AND a.attname = 'lookup_id' AND NOT a.attisdropped")) {
      if (!rs.next()) {
        return false;
      }
      String fix = "Run: ALTER TABLE latchkey_token ALTER COLUMN lookup_id TYPE VARCHAR(128) COLLATE \"C\"";
      if ("citext".equals(rs.getString(1)) || "citext".equals(rs.getString(2))) {
        throw new ConfigurationException(CASE_INSENSITIVE + " (its type is citext)" + WHY + fix);
      }
      String collation = rs.getString(3);
      boolean deterministic = rs.getBoolean(4);
      if (collation != null && !deterministic) {
        throw new ConfigurationException(CASE_INSENSITIVE + " (its collation \"" + collation + "\" is a"
            + " nondeterministic collation)" + WHY + fix);
      }
      return true;
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
        checkLookupIdColumn(c, Dialect.POSTGRESQL);
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
      checkH2IgnoreCase(work);
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
        if (!SqlStates.isUniqueViolation(e)) { // a concurrent initializer inserted the row first
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
        int version = applyPending(work, Dialect.H2);
        checkLookupIdColumn(work, Dialect.H2);
        return version;
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
        if (!SqlStates.isTransient(e) || System.nanoTime() > deadline) {
          throw e;
        }
        lock.rollback();
      }
    }
  }

  /**
   * Refuses to create tables while {@code IGNORECASE=TRUE} is in effect: every VARCHAR column would
   * compare case-insensitively, the token lookup id included (see {@link #checkLookupIdColumn}).
   */
  private static void checkH2IgnoreCase(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
            + " WHERE SETTING_NAME = 'IGNORECASE'")) {
      if (rs.next() && ("TRUE".equalsIgnoreCase(rs.getString(1)) || "1".equals(rs.getString(1)))) {
        throw new ConfigurationException("this H2 database was opened with IGNORECASE=TRUE, which makes new VARCHAR"
            + " columns compare case-insensitively; Latchkey's identifiers and token lookup ids are case-sensitive:"
            + " remove it from the JDBC URL (or run SET IGNORECASE FALSE) before creating the schema");
      }
    }
    endReadTransaction(c);
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
