package dev.latchkey.cli;

import dev.latchkey.ConfigurationException;
import dev.latchkey.PepperKeyset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds the pepper keyset: {@code --peppers-file} if given, else {@code LATCHKEY_PEPPERS}. Never prints it. */
final class Peppers {
  static final String ENV = "LATCHKEY_PEPPERS";
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private Peppers() {}

  static PepperKeyset load(Optional<Path> file, Map<String, String> env, PrintWriter err) {
    if (file.isPresent()) {
      Path path = file.get();
      String spec;
      try {
        if (Files.size(path) > MAX_FILE_BYTES) {
          throw new UsageException("the peppers file " + path + " is too large to be a keyset;"
              + " it should hold entries like 1:<base64 key> (see 'latchkey peppers generate')");
        }
        spec = Files.readString(path, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new UsageException("the peppers file " + path + " does not exist;"
            + " create one with 'latchkey peppers generate --out-file " + path + "'");
      } catch (IOException e) {
        throw new UsageException("cannot read the peppers file " + path + " (" + e.getClass().getSimpleName()
            + "); check its permissions");
      }
      warnIfShared(path, err);
      return parse(spec, "the peppers file " + path);
    }
    String spec = env.get(ENV);
    if (spec == null || spec.isBlank()) {
      throw new UsageException("no pepper keyset: set " + ENV + " or pass --peppers-file <path>"
          + " (create one with 'latchkey peppers generate'; the demo needs none)");
    }
    return parse(spec, ENV);
  }

  private static PepperKeyset parse(String spec, String source) {
    try {
      return PepperKeyset.parse(spec);
    } catch (ConfigurationException e) {
      // The core's messages name entries by index and version, never key material.
      throw new UsageException(source + ": " + e.getMessage());
    }
  }

  private static void warnIfShared(Path path, PrintWriter err) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        err.println("latchkey: warning: the peppers file " + path + " is readable by other users; chmod 600 it");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }
}
