package dev.latchkey.internal;

import java.security.SecureRandom;

/** Base62 ({@code 0-9A-Za-z}) with fixed widths, big-endian. */
final class Base62 {
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

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;

  /** True if every byte of {@code b[from, to)} is a base62 character; eight bytes per step. */
  public static boolean allBase62(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      if (!allBase62(((long) LONGS.get(b, i)))) {
        return false;
      }
    }
    for (; i < to; i++) {
      if (digit(b[i]) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * SWAR: true if all eight bytes of {@code x} are in {@code 0-9}, {@code A-Z} or {@code a-z}. With
   * every high bit forced on ({@code y = x | 0x80..}), {@code y - lo} cannot borrow across bytes and
   * keeps a byte's high bit exactly when that byte is {@code >= lo}.
   */
  static boolean allBase62(long x) {
    if ((x & HIGH) != 0) {
      return false; // not ASCII
    }
    long y = x | HIGH;
    long digit = (y - 0x30 * ONES) & ~(y - 0x3A * ONES);
    long upper = (y - 0x41 * ONES) & ~(y - 0x5B * ONES);
    long lower = (y - 0x61 * ONES) & ~(y - 0x7B * ONES);
    return ((digit | upper | lower) & HIGH) == HIGH;
  }

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

  /** 62^5, the largest power of 62 below 2^30: dividing 32-bit limbs by it keeps every step in a long. */
  private static final int CHUNK = 62 * 62 * 62 * 62 * 62;
  private static final int CHUNK_DIGITS = 5;

  /**
   * An unsigned big-endian byte string as exactly {@code width} digits; fails if it does not fit.
   * Schoolbook division of 32-bit limbs by 62^5, five digits per pass.
   */
  public static String encodeFixed(byte[] unsignedBigEndian, int width) {
    int limbCount = (unsignedBigEndian.length + 3) / 4;
    long[] limbs = new long[limbCount];
    int shift = limbCount * 4 - unsignedBigEndian.length; // leading zero bytes of the first limb
    for (int i = 0; i < unsignedBigEndian.length; i++) {
      int pos = i + shift;
      limbs[pos / 4] |= (long) (unsignedBigEndian[i] & 0xFF) << (8 * (3 - pos % 4));
    }
    char[] out = new char[width];
    int pos = width;
    while (pos > 0) {
      long remainder = 0;
      for (int i = 0; i < limbCount; i++) {
        long acc = (remainder << 32) | limbs[i];
        limbs[i] = acc / CHUNK;
        remainder = acc % CHUNK;
      }
      for (int d = 0; d < CHUNK_DIGITS && pos > 0; d++) {
        out[--pos] = ALPHABET[(int) (remainder % 62)];
        remainder /= 62;
      }
      if (pos == 0 && remainder != 0) {
        throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
      }
    }
    for (long limb : limbs) {
      if (limb != 0) {
        throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
      }
    }
    java.util.Arrays.fill(limbs, 0);
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
