package dev.latchkey.jdbc;

import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import java.time.Clock;

/** Table {@code latchkey_pepper_check}: one key-check value per pepper version, never overwritten. */
final class PepperChecks {
  private static final String FIND = "SELECT check_value FROM latchkey_pepper_check WHERE pepper_version = ?";
  private static final String INSERT = "INSERT INTO latchkey_pepper_check"
      + " (pepper_version, check_value, created_s, created_ns) VALUES (?, ?, ?, ?)";

  private final Jdbc jdbc;
  private final Clock clock;

  PepperChecks(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  String add(int pepperVersion, String check) {
    if (pepperVersion < 1 || check == null || check.isEmpty() || check.length() > 128) {
      throw new InvalidArgumentException("a pepper check needs a positive version and a value of 1 to 128 characters");
    }
    Jdbc.Params version = b -> b.intValue(pepperVersion);
    try {
      return jdbc.write("addPepperCheck", c -> {
        String existing = Jdbc.one(c, FIND, version, rs -> rs.getString(1)).orElse(null);
        if (existing != null) {
          return existing;
        }
        Jdbc.insert(c, INSERT, b -> b.intValue(pepperVersion).string(check).instant(clock.instant()),
            () -> new ConflictException("pepper version " + pepperVersion + " was recorded concurrently"));
        return check;
      });
    } catch (ConflictException e) {
      // another node recorded this version at the same moment: its value is the one to compare with
      return jdbc.read("addPepperCheck", c -> Jdbc.one(c, FIND, version, rs -> rs.getString(1)).orElse(null));
    }
  }
}
