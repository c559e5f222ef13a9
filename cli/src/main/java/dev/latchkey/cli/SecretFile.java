package dev.latchkey.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file for one secret (a token value or a pepper keyset), readable and writable by its owner only
 * (POSIX mode 600). It is created empty before the secret exists, so that an unusable path is
 * reported before anything is issued, and it never replaces an existing file.
 */
final class SecretFile {
  private final Path path;
  private boolean written;

  private SecretFile(Path path) {
    this.path = path;
  }

  /** Fails with a usage error if the file exists or its folder does not; changes nothing then. */
  static void checkUsable(Path path) {
    if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException("--out-file " + path + " already exists; refusing to overwrite it."
          + " Choose a new file name or remove the old file first");
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UsageException("--out-file " + path + ": " + parent
          + (parent != null && Files.exists(parent) ? " is not a folder" : " does not exist; create it first"));
    }
  }

  /** Creates the empty owner-only file atomically (never following or replacing anything there). */
  static SecretFile reserve(Path path) {
    checkUsable(path);
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(FileProblems.OWNER_FILE);
        Files.createFile(path, ownerOnly);
        // the umask may have taken bits away at creation (never added any); set exactly rw------- now
        Files.setPosixFilePermissions(path, FileProblems.OWNER_FILE);
      } else {
        Files.createFile(path);
        var file = path.toFile();
        file.setReadable(false, false);
        file.setWritable(false, false);
        file.setReadable(true, true);
        file.setWritable(true, true);
      }
    } catch (FileAlreadyExistsException e) {
      throw new UsageException("--out-file " + path + " already exists; refusing to overwrite it");
    } catch (NoSuchFileException e) {
      throw new UsageException("--out-file " + path + ": its folder does not exist; create it first");
    } catch (IOException e) {
      throw new UsageException("--out-file " + path + " cannot be created: " + FileProblems.describe(e));
    }
    return new SecretFile(path);
  }

  Path path() {
    return path;
  }

  /** Writes the secret followed by a newline. */
  void write(String secret) {
    try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      w.write(secret);
      w.write('\n');
      written = true;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing --out-file " + path + " failed (" + FileProblems.describe(e)
          + "); the secret was created but is lost: rotate the token (or generate peppers) again", e);
    }
  }

  /** Removes the reserved file if nothing was written to it (the command failed before the secret existed). */
  void discardIfEmpty() {
    if (!written) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // best effort: an empty file holds no secret
      }
    }
  }
}
