package dev.latchkey.jdbc;

import dev.latchkey.ConfigurationException;
import dev.latchkey.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The databases the JDBC store supports. Each has its own schema scripts. */
public enum Dialect {
  /** H2 2.x, embedded (in-memory or file) or server mode. */
  H2("h2"),
  /** PostgreSQL 12 or later. */
  POSTGRESQL("postgresql");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /**
   * Where this dialect's versioned schema scripts live in the jar, for example {@code
   * db/latchkey/postgresql}; give it to Flyway as {@code classpath:db/latchkey/postgresql}.
   */
  public String scriptLocation() {
    return "db/latchkey/" + folder;
  }

  /** Chooses the dialect from {@link java.sql.DatabaseMetaData#getDatabaseProductName()}. */
  public static Dialect fromProductName(String productName) {
    String name = productName == null ? "" : productName.trim().toLowerCase(Locale.ROOT);
    if (name.equals("h2")) {
      return H2;
    }
    if (name.equals("postgresql")) {
      return POSTGRESQL;
    }
    throw new ConfigurationException("the Latchkey JDBC store supports H2 and PostgreSQL, not '"
        + productName + "'; use one of those or implement dev.latchkey.spi.TokenStore for your database");
  }

  /** Connects once and reads the database product name. */
  static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return fromProductName(c.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new StoreException("detecting the database dialect failed: " + SqlStates.describe(e)
          + " (is the database reachable? to start without it, choose the dialect explicitly)", e);
    }
  }
}
