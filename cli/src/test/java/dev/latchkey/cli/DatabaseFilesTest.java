package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the embedded H2 database goes and who may read it: the {@code --db} path is a file path and
 * nothing else (no H2 URL settings or prefixes), the folder the CLI creates is owner-only, the
 * database files are owner-only whatever the umask or the folder, and there is no trace file.
 */
class DatabaseFilesTest {
  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
  }

  @Test
  void aSemicolonAnywhereInTheDbPathIsRefused() throws IOException {
    // H2 reads everything after the first ';' of a URL as settings, INIT=<sql> included.
    Path evil = dir.resolve("db").resolve("a;INIT=CREATE TABLE IF NOT EXISTS PWNED(x INT)--").resolve("lk");
    CliRunner.Result r = cli.runRaw(null, "--db", evil.toString(), "accounts", "create", "acme");
    assertThat(r.exitCode()).as("stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--db", "';'").doesNotContain("Exception");
    assertThat(dir.resolve("db")).doesNotExist();
  }

  @Test
  void h2UrlSyntaxInTheDbPathIsRefused() throws IOException {
    for (String db : List.of("mem:lk", "file:" + dir.resolve("lk"), "zip:" + dir.resolve("x.zip") + "!/lk",
        "tcp://localhost/lk", "jdbc:h2:" + dir.resolve("lk"), "nioMapped:" + dir.resolve("lk"),
        dir.resolve("a=b;x").toString())) {
      CliRunner.Result r = cli.runRaw(null, "--db", db, "accounts", "create", "acme");
      assertThat(r.exitCode()).as("--db %s; stderr: %s", db, r.err()).isEqualTo(2);
      assertThat(r.err()).as(db).contains("--db");
    }
    assertThat(cli.runRaw(null, "--db", "mem:lk", "accounts", "list").err()).contains("--jdbc-url");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("nothing created").isEmpty();
    }
  }

  @Test
  void aColonInsideThePathIsJustACharacterOfAFolderName() {
    // H2 picks a file system by a "scheme:" prefix of the path; an absolute path has none
    Path db = dir.resolve("zip:x").resolve("split:lk");
    cli.runRaw(null, "--db", db.toString(), "accounts", "create", "acme").ok();
    assertThat(dir.resolve("zip:x").resolve("split:lk.mv.db")).isRegularFile();
  }

  @Test
  void aLeadingTildeMeansTheHomeFolder() {
    cli.runRaw(null, "--db", "~/data/lk", "accounts", "create", "acme").ok();
    assertThat(cli.home.resolve("data/lk.mv.db")).isRegularFile();
    assertThat(cli.runRaw(null, "--db", "~other/lk", "accounts", "list").exitCode()).isEqualTo(2);
  }

  @Test
  void aNewDatabaseFolderIsOwnerOnlyAndSoAreItsFiles() throws IOException {
    assumePosix();
    Path db = dir.resolve("new/sub/lk");
    cli.runRaw(null, "--db", db.toString(), "accounts", "create", "acme").ok();
    assertThat(mode(dir.resolve("new/sub"))).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("new"))).isEqualTo("rwx------");
    assertOwnerOnlyFiles(dir.resolve("new/sub"));
  }

  @Test
  void filesInAnExistingSharedFolderAreStillOwnerOnly() throws IOException {
    assumePosix();
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    cli.runRaw(null, "--db", shared.resolve("lk").toString(), "accounts", "create", "acme").ok();
    cli.runRaw(null, "--db", shared.resolve("lk").toString(), "accounts", "list").ok();
    assertOwnerOnlyFiles(shared);
    assertThat(mode(shared)).as("a folder named with --db is the operator's: left as it is").isEqualTo("rwxr-xr-x");
  }

  @Test
  void anExistingDefaultFolderOpenToOthersIsTightened() throws IOException {
    assumePosix();
    Path folder = Files.createDirectories(cli.home.resolve(".latchkey"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    CliRunner.Result r = cli.runRaw(null, "accounts", "create", "acme").ok();
    assertThat(mode(folder)).isEqualTo("rwx------");
    assertThat(r.err()).contains(folder.toString(), "700");
    assertOwnerOnlyFiles(folder);
  }

  @Test
  void anExistingDatabaseFileOpenToOthersIsTightened() throws IOException {
    assumePosix();
    cli.run("accounts", "create", "acme").ok();
    Files.setPosixFilePermissions(cli.dbFile(), PosixFilePermissions.fromString("rw-r--r--"));
    cli.run("accounts", "list").ok();
    assertThat(mode(cli.dbFile())).isEqualTo("rw-------");
  }

  @Test
  void firstUseLeavesNoTraceFile() throws IOException {
    cli.run("accounts", "create", "acme").ok();
    cli.run("accounts", "get", "nope"); // a failing statement, too
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("latchkey.mv.db");
    }
  }

  private static void assertOwnerOnlyFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> all = files.toList();
      assertThat(all).as("database files in %s", folder).isNotEmpty();
      for (Path f : all) {
        assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
      }
    }
  }

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static void assumePosix() {
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "file modes are POSIX; this file system has none");
  }
}
