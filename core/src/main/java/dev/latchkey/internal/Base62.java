package dev.latchkey.internal;

import java.security.SecureRandom;

/** Base62 ({@code 0-9A-Za-z}) with fixed widths, big-endian. */
public final class Base62 {
  static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final byte[] DIGITS = new byte[128];

  static {
    java.util.Arrays.fill(DIGITS, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DIGITS[ALPHABET[i]] = (byte) i;
    }
  }

  private Base62() {}

  /** The digit value of an ASCII byte or char, or -1. */
  public static int digit(int c) {
    return c >= 0 && c < 128 ? DIGITS[c] : -1;
  }

  /** {@code length} characters, each uniformly random (rejection sampling, no modulo bias). */
  public static String random(SecureRandom random, int length) {
    char[] out = new char[length];
    byte[] buf = new byte[length + 16];
    int filled = 0;
    while (filled < length) {
      random.nextBytes(buf);
      for (int i = 0; i < buf.length && filled < length; i++) {
        int v = buf[i] & 0x3F;
        if (v < 62) {
          out[filled++] = ALPHABET[v];
        }
      }
    }
    java.util.Arrays.fill(buf, (byte) 0);
    return new String(out);
  }

  /** An unsigned big-endian byte string as exactly {@code width} digits; fails if it does not fit. */
  public static String encodeFixed(byte[] unsignedBigEndian, int width) {
    int[] n = new int[unsignedBigEndian.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = unsignedBigEndian[i] & 0xFF;
    }
    char[] out = new char[width];
    for (int pos = width - 1; pos >= 0; pos--) {
      int remainder = 0;
      for (int i = 0; i < n.length; i++) {
        int acc = (remainder << 8) | n[i];
        n[i] = acc / 62;
        remainder = acc % 62;
      }
      out[pos] = ALPHABET[remainder];
    }
    for (int v : n) {
      if (v != 0) {
        throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
      }
    }
    java.util.Arrays.fill(n, 0);
    return new String(out);
  }

  /** A non-negative value as exactly {@code width} digits. */
  public static String encodeFixed(long value, int width) {
    if (value < 0) {
      throw new IllegalArgumentException("negative");
    }
    char[] out = new char[width];
    for (int pos = width - 1; pos >= 0; pos--) {
      out[pos] = ALPHABET[(int) (value % 62)];
      value /= 62;
    }
    if (value != 0) {
      throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
    }
    return new String(out);
  }
}
