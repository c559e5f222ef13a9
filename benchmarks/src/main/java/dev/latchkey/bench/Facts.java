package dev.latchkey.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Observations a benchmark makes outside its measured loop (store calls per verification, cache
 * misses during the run, setup time). Printed to the fork's output and, when the environment
 * variable {@value #ENV} names a file, appended to it as {@code key=value} lines; {@code run.sh}
 * sets it and puts the lines into {@code RESULTS.md}. JMH forks inherit the environment.
 */
final class Facts {
  static final String ENV = "LATCHKEY_BENCH_FACTS";

  private Facts() {}

  static synchronized void record(String key, Object value) {
    String line = key + "=" + value;
    System.out.println("[latchkey-bench] " + line);
    String file = System.getenv(ENV);
    if (file != null && !file.isBlank()) {
      try {
        Files.writeString(Path.of(file), line + System.lineSeparator(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.println("could not append to " + file + ": " + e);
      }
    }
  }
}
