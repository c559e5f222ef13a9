package dev.latchkey.cli;

import dev.latchkey.StoreException;
import dev.latchkey.jdbc.Dialect;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the CLI's data lives: an embedded H2 file (the default, {@code ~/.latchkey/latchkey.mv.db}),
 * an in-memory H2 database (the demo) or any H2/PostgreSQL JDBC URL. Resolving a target does no I/O;
 * only {@link #connect()} touches the database (and creates an H2 file and its folder).
 */
final class Database {
  static final String H2_FILE_SUFFIX = ".mv.db";
  static final String DEFAULT_H2_USER = "sa";

  private final String url;
  private final String user;
  private final String password;
  private final Dialect dialect;
  private final Optional<Path> h2Base;
  private final String description;

  private Database(String url, String user, String password, Dialect dialect, Optional<Path> h2Base, String description) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.dialect = dialect;
    this.h2Base = h2Base;
    this.description = description;
  }

  /** The default: {@code <home>/.latchkey/latchkey}, i.e. the file {@code <home>/.latchkey/latchkey.mv.db}. */
  static Database defaultLocation(Path home) {
    return h2File(home.resolve(".latchkey").resolve("latchkey"));
  }

  /** An H2 file; {@code path} may name the {@code .mv.db} file or leave the suffix out. */
  static Database h2File(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    String name = absolute.getFileName() == null ? "" : absolute.getFileName().toString();
    if (name.endsWith(H2_FILE_SUFFIX)) {
      name = name.substring(0, name.length() - H2_FILE_SUFFIX.length());
    }
    if (name.isEmpty() || absolute.getParent() == null) {
      throw new UsageException("--db needs a file name, e.g. --db ./latchkey (which stores ./latchkey.mv.db)");
    }
    if (name.contains(";")) {
      throw new UsageException("--db: the file name must not contain ';'; choose another name");
    }
    Path base = absolute.getParent().resolve(name);
    return new Database("jdbc:h2:file:" + base, DEFAULT_H2_USER, "", Dialect.H2, Optional.of(base),
        base + H2_FILE_SUFFIX);
  }

  /** A private in-memory H2 database, gone when {@link Connected#close()} runs. */
  static Database h2Memory(String name) {
    return new Database("jdbc:h2:mem:" + name, DEFAULT_H2_USER, "", Dialect.H2, Optional.empty(), "in-memory H2 database");
  }

  /** Any H2 or PostgreSQL URL. The password comes from the environment, never from a flag. */
  static Database url(String url, String user, String password) {
    String lower = url.toLowerCase(Locale.ROOT);
    Dialect dialect;
    if (lower.startsWith("jdbc:h2:")) {
      dialect = Dialect.H2;
    } else if (lower.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
    } else {
      throw new UsageException("--jdbc-url must be an H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql://host/db) URL");
    }
    if (dialect == Dialect.H2 && user == null) {
      user = DEFAULT_H2_USER;
    }
    int query = url.indexOf('?');
    String shown = query < 0 ? url : url.substring(0, query) + "?...";
    if (dialect == Dialect.H2 && url.indexOf(';') >= 0) {
      shown = url.substring(0, url.indexOf(';')) + ";...";
    }
    return new Database(url, user, password == null ? "" : password, dialect, Optional.empty(), shown);
  }

  Dialect dialect() {
    return dialect;
  }

  /** For messages: the H2 file, or the URL without its parameters (which may hold credentials). */
  String description() {
    return description;
  }

  /** The H2 file this target stores into, if it is one. */
  Optional<Path> h2File() {
    return h2Base.map(b -> b.resolveSibling(b.getFileName() + H2_FILE_SUFFIX));
  }

  /**
   * Opens the database. An embedded H2 database stays open while the returned object is (one
   * connection is held for the whole command, so H2 does not reopen the file for every statement).
   */
  Connected connect() {
    h2Base.ifPresent(Database::createFolder);
    DataSource ds;
    if (dialect == Dialect.H2) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(url);
      h2.setUser(user);
      h2.setPassword(password);
      ds = h2;
    } else {
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setURL(url);
      if (user != null) {
        pg.setUser(user);
      }
      if (!password.isEmpty()) {
        pg.setPassword(password);
      }
      ds = pg;
    }
    Connection keepOpen = null;
    if (dialect == Dialect.H2) {
      try {
        keepOpen = ds.getConnection();
      } catch (SQLException e) {
        throw new StoreException("cannot open the database " + description + ": " + firstLine(e), e);
      }
    }
    return new Connected(ds, keepOpen);
  }

  private static void createFolder(Path base) {
    Path folder = base.getParent();
    if (Files.isDirectory(folder)) {
      return;
    }
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(folder);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the database folder " + folder + ": " + e.getClass().getSimpleName(), e);
    }
  }

  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public String toString() {
    return "Database[" + description + "]";
  }

  /** An open database: its DataSource, and for H2 the connection that keeps it open. */
  static final class Connected implements AutoCloseable {
    private final DataSource dataSource;
    private final Connection keepOpen;

    private Connected(DataSource dataSource, Connection keepOpen) {
      this.dataSource = dataSource;
      this.keepOpen = keepOpen;
    }

    DataSource dataSource() {
      return dataSource;
    }

    @Override
    public void close() {
      if (keepOpen != null) {
        try {
          keepOpen.close();
        } catch (SQLException e) {
          throw new StoreException("closing the database failed: " + firstLine(e), e);
        }
      }
    }
  }
}
