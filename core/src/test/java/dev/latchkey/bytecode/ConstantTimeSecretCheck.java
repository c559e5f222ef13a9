package dev.latchkey.bytecode;

import java.security.MessageDigest;

/** The right way, for the scanner's self-test: fixed-length digests compared in constant time. */
final class ConstantTimeSecretCheck {
  private ConstantTimeSecretCheck() {}

  static boolean digestMatches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }
}
