package dev.latchkey.spring.boot;

import dev.latchkey.ConfigurationException;
import dev.latchkey.PepperKeyset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.env.Environment;

/**
 * Reads the pepper keyset from exactly one of its three sources. Every message names the property
 * and never a value: the keyset text and the file's content are secret.
 */
final class PepperSource {
  private PepperSource() {}

  static PepperKeyset load(LatchkeyProperties properties, Environment environment) {
    String text = properties.getPeppers();
    Path file = properties.getPeppersFile();
    String env = properties.getPeppersEnv();
    int sources = (text != null ? 1 : 0) + (file != null ? 1 : 0) + (env != null && !env.isBlank() ? 1 : 0);
    if (sources == 0) {
      throw new InvalidPeppersException("no pepper keyset is configured");
    }
    if (sources > 1) {
      throw new InvalidPeppersException("more than one of latchkey.peppers, latchkey.peppers-file and"
          + " latchkey.peppers-env is set; set exactly one");
    }
    String property;
    if (file != null) {
      property = "latchkey.peppers-file (" + file + ")";
      try {
        text = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        // the exception's class only: its message is the path, already named, and nothing else is safe to echo
        throw new InvalidPeppersException("latchkey.peppers-file " + file + " cannot be read ("
            + e.getClass().getSimpleName() + ")");
      }
    } else if (env != null && !env.isBlank()) {
      property = "the environment variable " + env + " (named by latchkey.peppers-env)";
      text = environment.getProperty(env);
      if (text == null) {
        throw new InvalidPeppersException("latchkey.peppers-env names " + env + ", which is not set");
      }
    } else {
      property = "latchkey.peppers";
    }
    try {
      return PepperKeyset.parse(text);
    } catch (ConfigurationException e) {
      // PepperKeyset's messages give entry numbers and versions, never key material
      throw new InvalidPeppersException(property + " is not a valid pepper keyset: " + e.getMessage()
          + " (expected 1:<base64 of a 32-64 byte key>, more versions comma-separated)");
    }
  }
}
