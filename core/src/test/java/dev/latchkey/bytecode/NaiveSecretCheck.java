package dev.latchkey.bytecode;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Deliberately wrong: compares secrets and digests in time that depends on where they differ. Never
 * used by Latchkey; it exists so that {@link ConstantTimeScanTest} can show its scanner flags such
 * code.
 */
final class NaiveSecretCheck {
  private NaiveSecretCheck() {}

  static boolean digestMatches(byte[] expected, byte[] actual) {
    return Arrays.equals(expected, actual); // early exit on the first differing byte
  }

  static boolean secretMatches(String expected, String presented) {
    return expected.equals(presented);
  }

  static Predicate<String> matcherFor(String expected) {
    return expected::equals; // a method handle, not an invokevirtual: must be found too
  }
}
