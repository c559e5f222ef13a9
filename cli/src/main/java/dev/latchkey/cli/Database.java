package dev.latchkey.cli;

import dev.latchkey.StoreException;
import dev.latchkey.jdbc.Dialect;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the CLI's data lives: an embedded H2 file (the default, {@code ~/.latchkey/latchkey.mv.db}),
 * an in-memory H2 database (the demo) or any H2/PostgreSQL JDBC URL. Resolving a target does no I/O;
 * only {@link #connect} touches the database (and creates an H2 file and its folder).
 *
 * <p>An H2 file's URL is built here from a checked absolute path and fixed settings: the path may not
 * contain {@code ;} (H2 reads what follows as settings, {@code INIT=<sql>} among them) nor start like a
 * URL ({@code mem:}, {@code tcp:}, {@code zip:}, ...). The folder the CLI creates is {@code rwx------}
 * and the database files {@code rw-------}, set explicitly so that the umask cannot widen them.
 */
final class Database {
  static final String H2_FILE_SUFFIX = ".mv.db";
  static final String DEFAULT_H2_USER = "sa";
  /**
   * Appended to every H2 file URL the CLI builds. TRACE_LEVEL_FILE=0: no {@code .trace.db} file, which
   * H2 otherwise writes on the first failed statement (the schema probe of a new database is one).
   */
  static final String H2_FILE_SETTINGS = ";TRACE_LEVEL_FILE=0";
  /** The files H2 keeps next to a database {@code <name>}: data, lock and trace. */
  private static final List<String> H2_FILE_SUFFIXES = List.of(H2_FILE_SUFFIX, ".lock.db", ".trace.db");
  /** A URL scheme of two or more characters ({@code C:} is a Windows drive, not a scheme). */
  private static final Pattern URL_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

  private final String url;
  private final String user;
  private final String password;
  private final Dialect dialect;
  private final Optional<Path> h2Base;
  /** True for the default folder, which is the CLI's own: tightened to rwx------ if it is open to others. */
  private final boolean ownFolder;
  private final String description;

  private Database(String url, String user, String password, Dialect dialect, Optional<Path> h2Base, boolean ownFolder,
      String description) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.dialect = dialect;
    this.h2Base = h2Base;
    this.ownFolder = ownFolder;
    this.description = description;
  }

  /**
   * The default: {@code <folder>/latchkey}, i.e. the file {@code <folder>/latchkey.mv.db}.
   *
   * @param source what named the folder, for messages (LATCHKEY_HOME, HOME, ...)
   */
  static Database defaultLocation(Path folder, String source) {
    return h2Base(folder.resolve("latchkey"), true, source);
  }

  /**
   * An H2 file named by {@code --db}: a path (absolute, relative to the current folder, or under the
   * home folder with a leading {@code ~/}); it may name the {@code .mv.db} file or leave the suffix
   * out. Anything H2 would read as URL syntax is refused.
   */
  static Database h2File(String db, Supplier<Path> home) {
    if (db.isEmpty() || db.equals("~")) {
      throw new UsageException("--db needs a file name, e.g. --db ./latchkey (which stores ./latchkey.mv.db)");
    }
    if (db.chars().anyMatch(Character::isISOControl)) {
      throw new UsageException("--db must not contain control characters");
    }
    Matcher scheme = URL_SCHEME.matcher(db);
    if (scheme.find()) {
      throw new UsageException("--db takes a file path, not a URL ('" + Values.shorten(scheme.group()) + "...');"
          + " give H2 or PostgreSQL URLs with --jdbc-url");
    }
    Path path;
    try {
      if (db.startsWith("~/") || db.startsWith("~" + java.io.File.separator)) {
        path = home.get().resolve(db.substring(2));
      } else if (db.startsWith("~")) {
        throw new UsageException("--db: only ~/ (your home folder) is expanded, not ~user; write the full path");
      } else {
        path = Path.of(db);
      }
    } catch (InvalidPathException e) {
      throw new UsageException("--db '" + Values.shorten(db) + "' is not a valid path here");
    }
    return h2Base(path, false, "--db");
  }

  private static Database h2Base(Path path, boolean ownFolder, String source) {
    Path absolute = path.toAbsolutePath().normalize();
    String name = absolute.getFileName() == null ? "" : absolute.getFileName().toString();
    if (name.endsWith(H2_FILE_SUFFIX)) {
      name = name.substring(0, name.length() - H2_FILE_SUFFIX.length());
    }
    if (name.isEmpty() || absolute.getParent() == null) {
      throw new UsageException(source + " needs a file name, e.g. --db ./latchkey (which stores ./latchkey.mv.db)");
    }
    Path base = absolute.getParent().resolve(name);
    // The whole path counts, the current folder's part too: H2 splits the URL at its first ';'.
    if (base.toString().indexOf(';') >= 0) {
      throw new UsageException(source + ": the database path " + base + " contains ';', which H2 would read as the"
          + " start of connection settings; choose a path without ';'");
    }
    return new Database("jdbc:h2:file:" + base + H2_FILE_SETTINGS, DEFAULT_H2_USER, "", Dialect.H2,
        Optional.of(base), ownFolder, base + H2_FILE_SUFFIX);
  }

  /** A private in-memory H2 database, gone when {@link Connected#close()} runs. */
  static Database h2Memory(String name) {
    return new Database("jdbc:h2:mem:" + name, DEFAULT_H2_USER, "", Dialect.H2, Optional.empty(), false,
        "in-memory H2 database");
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
    return new Database(url, user, password == null ? "" : password, dialect, Optional.empty(), false, shown);
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
   * For an H2 file, the folder and the data file are created owner-only first (H2 keeps the mode of
   * a file it finds), and group or other access to the existing ones is removed.
   *
   * @param notices where to say that permissions were tightened
   */
  Connected connect(PrintWriter notices) {
    boolean createdFile = h2Base.isPresent() && prepareFiles(h2Base.get(), notices);
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
        if (createdFile) {
          deleteIfEmpty(h2File().orElseThrow()); // leave nothing behind for a database that never opened
        }
        throw new StoreException("cannot open the database " + description + ": " + firstLine(e), e);
      }
    }
    Runnable afterClose = h2Base.isPresent() ? () -> tightenH2Files(h2Base.get(), notices) : () -> { };
    return new Connected(ds, keepOpen, afterClose);
  }

  /** Creates the folder and an empty data file, both owner-only; returns whether the file was created. */
  private boolean prepareFiles(Path base, PrintWriter notices) {
    boolean posix = isPosix();
    Path folder = base.getParent();
    if (!Files.isDirectory(folder)) {
      createFolders(folder, posix);
    } else if (ownFolder && posix) {
      tighten(folder, notices);
    }
    Path file = h2File().orElseThrow();
    boolean created;
    try {
      if (posix) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FileProblems.OWNER_FILE));
        Files.setPosixFilePermissions(file, FileProblems.OWNER_FILE); // exact, whatever the umask
      } else {
        Files.createFile(file);
      }
      created = true;
    } catch (FileAlreadyExistsException e) {
      created = false;
    } catch (IOException e) {
      throw new StoreException("cannot create the database file " + file + ": " + FileProblems.describe(e), e);
    }
    tightenH2Files(base, notices);
    return created;
  }

  /** Creates each missing folder down to {@code folder} with mode rwx------ (set again after creation). */
  private static void createFolders(Path folder, boolean posix) {
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      missing.push(existing);
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new StoreException("cannot create the database folder " + folder + ": " + existing + " is not a folder");
    }
    for (Path dir : missing) {
      try {
        if (posix) {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FileProblems.OWNER_FOLDER));
          Files.setPosixFilePermissions(dir, FileProblems.OWNER_FOLDER);
        } else {
          Files.createDirectory(dir);
        }
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(dir)) {
          throw new StoreException("cannot create the database folder " + folder + ": " + dir + " is not a folder", e);
        }
        // created meanwhile by someone else: theirs, left as it is
      } catch (IOException e) {
        throw new StoreException("cannot create the database folder " + dir + ": " + FileProblems.describe(e), e);
      }
    }
  }

  /** Removes group and other access from the H2 files of {@code base} that exist. */
  private static void tightenH2Files(Path base, PrintWriter notices) {
    if (!isPosix()) {
      return;
    }
    for (String suffix : H2_FILE_SUFFIXES) {
      Path file = base.resolveSibling(base.getFileName() + suffix);
      if (Files.exists(file)) {
        tighten(file, notices);
      }
    }
  }

  /**
   * Removes group and other access from {@code path}, saying so; warns if that is not possible. A
   * symbolic link is followed: what matters is the folder or file H2 really uses.
   */
  private static void tighten(Path path, PrintWriter notices) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.stream().noneMatch(FileProblems.GROUP_OR_OTHERS::contains)) {
        return;
      }
      Set<PosixFilePermission> ownerOnly = EnumSet.copyOf(perms);
      ownerOnly.removeAll(FileProblems.GROUP_OR_OTHERS);
      Files.setPosixFilePermissions(path, ownerOnly);
      notices.println("latchkey: " + path + " was open to other users (mode " + PosixFilePermissions.toString(perms)
          + "); changed it to " + PosixFilePermissions.toString(ownerOnly) + " (" + octal(ownerOnly) + ")");
    } catch (IOException e) {
      notices.println("latchkey: warning: " + path + " is open to other users and its mode cannot be changed ("
          + FileProblems.describe(e) + "); restrict it with chmod");
    }
  }

  private static String octal(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 and bit 0400
    }
    return String.format("mode %o", mode);
  }

  private static void deleteIfEmpty(Path file) {
    try {
      if (Files.size(file) == 0) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // best effort: an empty file holds no data
    }
  }

  private static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
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
    private final Runnable afterClose;

    private Connected(DataSource dataSource, Connection keepOpen, Runnable afterClose) {
      this.dataSource = dataSource;
      this.keepOpen = keepOpen;
      this.afterClose = afterClose;
    }

    DataSource dataSource() {
      return dataSource;
    }

    @Override
    public void close() {
      try {
        if (keepOpen != null) {
          keepOpen.close();
        }
      } catch (SQLException e) {
        throw new StoreException("closing the database failed: " + firstLine(e), e);
      } finally {
        afterClose.run(); // H2 may have created a file meanwhile (a lock or trace file of another version)
      }
    }
  }
}
