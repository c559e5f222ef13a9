package dev.latchkey.cli;

import dev.latchkey.ConfigurationException;
import dev.latchkey.PepperKeyset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds the pepper keyset: {@code --peppers-file} if given, else {@code LATCHKEY_PEPPERS}. Never prints it. */
final class Peppers {
  static final String ENV = "LATCHKEY_PEPPERS";
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private Peppers() {}

  /**
   * @param why added to the message when there is no keyset at all: why this command needs one, or ""
   */
  static PepperKeyset load(Optional<Path> file, Map<String, String> env, String why) {
    if (file.isPresent()) {
      Path path = file.get();
      String spec;
      try {
        if (!Files.isRegularFile(path)) {
          throw Files.exists(path)
              ? new UsageException("the peppers file " + path + " is not a regular file; it should hold entries like"
                  + " 1:<base64 key> (see 'latchkey peppers generate')")
              : new UsageException("the peppers file " + path + " does not exist;"
                  + " create one with 'latchkey peppers generate --out-file " + path + "'");
        }
        refuseIfShared(path);
        if (Files.size(path) > MAX_FILE_BYTES) {
          throw new UsageException("the peppers file " + path + " is too large to be a keyset;"
              + " it should hold entries like 1:<base64 key> (see 'latchkey peppers generate')");
        }
        spec = Files.readString(path, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new UsageException("the peppers file " + path + " does not exist;"
            + " create one with 'latchkey peppers generate --out-file " + path + "'");
      } catch (IOException e) {
        throw new UsageException("cannot read the peppers file " + path + ": " + FileProblems.describe(e)
            + "; check its permissions");
      }
      return parse(spec, "the peppers file " + path);
    }
    String spec = env.get(ENV);
    if (spec == null || spec.isBlank()) {
      throw new UsageException("no pepper keyset: " + why + "set " + ENV + " or pass --peppers-file <path>"
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

  /**
   * Refuses a keyset file that the group or others may read or write: anyone who can read the
   * peppers and the database can confirm guessed tokens offline, and anyone who can write them can
   * swap the keyset. Checked before the file is read.
   */
  private static void refuseIfShared(Path path) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: its access control is the operator's to check
    }
    if (perms.stream().anyMatch(FileProblems.GROUP_OR_OTHERS::contains)) {
      throw new UsageException("the peppers file " + path + " is open to other users (mode "
          + PosixFilePermissions.toString(perms) + "); run 'chmod 600 " + path + "', and treat the peppers as"
          + " exposed if others could read them");
    }
  }
}
