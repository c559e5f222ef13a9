package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address, parsed from its literal text only: never resolved, never looked up. A
 * host name, a zone id ({@code fe80::1%eth0}), brackets, a port or anything else that is not a
 * plain literal is refused. IPv4 is four decimal numbers 0 to 255 without leading zeros
 * ({@code 010.0.0.1} is refused: some parsers read it as octal). IPv6 is the RFC 4291 text form,
 * with {@code ::} and a dotted IPv4 tail. An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}, the
 * form a dual-stack server may report) is the IPv4 address it maps, so IPv4 ranges match it.
 *
 * <p>Immutable; two longs, so that matching against a {@link IpRange} allocates nothing.
 */
public final class IpAddress {
  /** Longest literal accepted: an IPv6 address with an IPv4 tail, fully written out. */
  static final int MAX_LITERAL_LENGTH = 45;

  private final long high;
  private final long low;
  private final boolean ipv4;

  private IpAddress(long high, long low, boolean ipv4) {
    this.high = high;
    this.low = low;
    this.ipv4 = ipv4;
  }

  /**
   * Parses a literal address.
   *
   * @throws InvalidArgumentException if {@code text} is not an IPv4 or IPv6 literal (a host name is
   *     refused without any lookup)
   */
  public static IpAddress parse(String text) {
    IpAddress a = tryParse(text);
    if (a == null) {
      throw new InvalidArgumentException("not an IPv4 or IPv6 address literal (host names are not resolved): "
          + Checks.preview(text));
    }
    return a;
  }

  /** Like {@link #parse}, but null for anything that is not an address literal; never throws. */
  public static @Nullable IpAddress tryParse(@Nullable CharSequence text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LITERAL_LENGTH) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ':') {
        return parseV6(text);
      }
    }
    long v4 = parseV4(text, 0, text.length());
    return v4 < 0 ? null : new IpAddress(0, v4, true);
  }

  /** The 32-bit value of a dotted quad in {@code s[from, to)}, or -1. */
  static long parseV4(CharSequence s, int from, int to) {
    long value = 0;
    int parts = 0;
    int i = from;
    while (parts < 4) {
      int start = i;
      int part = 0;
      while (i < to && i - start < 4) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        part = part * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || part > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | part;
      parts++;
      if (parts < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == to ? value : -1;
  }

  private static @Nullable IpAddress parseV6(CharSequence s) {
    int n = s.length();
    int[] groups = new int[8];
    int count = 0;
    int gap = -1; // index in groups where "::" stands
    int i = 0;
    if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
      gap = 0;
      i = 2;
      if (i == n) {
        return new IpAddress(0, 0, false);
      }
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 5) {
        int d = hex(s.charAt(i));
        if (d < 0) {
          break;
        }
        value = (value << 4) | d;
        i++;
      }
      if (i < n && s.charAt(i) == '.') { // a dotted IPv4 tail: the last 32 bits
        long v4 = parseV4(s, start, n);
        if (v4 < 0 || count > 6) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xFFFF);
        i = n;
        break;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4 || count == 8) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null; // "::" at most once
        }
        gap = count;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null; // a trailing single ':'
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    long high = 0;
    long low = 0;
    for (int g = 0; g < 4; g++) {
      high = (high << 16) | full[g];
      low = (low << 16) | full[g + 4];
    }
    if (high == 0 && (low >>> 32) == 0xFFFFL) {
      return new IpAddress(0, low & 0xFFFF_FFFFL, true); // IPv4-mapped
    }
    return new IpAddress(high, low, false);
  }

  /** An ASCII hex digit's value, or -1 (not Character.digit: it also takes non-ASCII digits). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  static IpAddress of(long high, long low, boolean ipv4) {
    return new IpAddress(high, low, ipv4);
  }

  public boolean isIpv4() {
    return ipv4;
  }

  /** The upper 64 bits of an IPv6 address; 0 for IPv4. */
  long high() {
    return high;
  }

  /** The lower 64 bits of an IPv6 address, or the 32 bits of an IPv4 address. */
  long low() {
    return low;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IpAddress a && a.high == high && a.low == low && a.ipv4 == ipv4;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high) * 31 + Long.hashCode(low) + (ipv4 ? 1 : 0);
  }

  /** The canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as {@code ::}). */
  @Override
  public String toString() {
    if (ipv4) {
      return (low >>> 24) + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF);
    }
    int[] g = new int[8];
    for (int k = 0; k < 4; k++) {
      g[k] = (int) ((high >>> (48 - 16 * k)) & 0xFFFF);
      g[k + 4] = (int) ((low >>> (48 - 16 * k)) & 0xFFFF);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not compressed
    for (int k = 0; k < 8; ) {
      if (g[k] != 0) {
        k++;
        continue;
      }
      int start = k;
      while (k < 8 && g[k] == 0) {
        k++;
      }
      if (k - start > bestLength) {
        bestStart = start;
        bestLength = k - start;
      }
    }
    StringBuilder sb = new StringBuilder(39);
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        sb.append("::");
        k += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[k]));
    }
    return sb.toString();
  }
}
