package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * A CIDR block of IPv4 or IPv6 addresses: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single
 * address ({@code 192.0.2.7} is {@code 192.0.2.7/32}). Parsed from literal text only, like {@link
 * IpAddress}: host names are refused, never resolved. The bits after the prefix must be zero
 * ({@code 10.0.0.1/8} is refused as a likely typo). IPv4 ranges are written in IPv4 form; the
 * IPv4-mapped IPv6 form ({@code ::ffff:10.0.0.0/104}) is refused, but an IPv4-mapped client address
 * matches the IPv4 range it maps into.
 */
public final class IpRange {
  private final long high;
  private final long low;
  private final int prefix;
  private final boolean ipv4;
  /** The prefix's bits of each half, worked out once: {@link #contains} runs on every verification. */
  private final long highMask;
  private final long lowMask;

  private IpRange(long high, long low, int prefix, boolean ipv4) {
    this.high = high;
    this.low = low;
    this.prefix = prefix;
    this.ipv4 = ipv4;
    this.highMask = highMask(prefix, ipv4);
    this.lowMask = lowMask(prefix, ipv4);
  }

  /**
   * Parses {@code address/prefix} or a single address.
   *
   * @throws InvalidArgumentException for anything else, saying why
   */
  public static IpRange parse(String text) {
    Checks.notNull("address range", text);
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    IpAddress a = IpAddress.tryParse(address);
    if (a == null) {
      throw new InvalidArgumentException(
          "not an IPv4 or IPv6 CIDR range (host names are not resolved): " + Checks.preview(text));
    }
    if (a.isIpv4() && address.indexOf(':') >= 0) {
      throw new InvalidArgumentException("write IPv4 ranges in IPv4 form, not IPv4-mapped IPv6: " + Checks.preview(text));
    }
    int bits = a.isIpv4() ? 32 : 128;
    int prefix = bits;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
          || (p.length() > 1 && p.charAt(0) == '0')) {
        throw new InvalidArgumentException("a CIDR prefix length is a decimal number: " + Checks.preview(text));
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        throw new InvalidArgumentException("a CIDR prefix length is at most " + bits + ": " + Checks.preview(text));
      }
    }
    IpRange r = new IpRange(a.high(), a.low(), prefix, a.isIpv4());
    if ((a.high() & ~r.highMask) != 0 || (a.low() & ~r.lowMask) != 0) {
      throw new InvalidArgumentException("the address of a CIDR range must have zero bits after the prefix"
          + " (did you mean " + r.networkText() + "/" + prefix + "?): " + Checks.preview(text));
    }
    return r;
  }

  private static long highMask(int prefix, boolean ipv4) {
    if (ipv4) {
      return 0;
    }
    return prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
  }

  private static long lowMask(int prefix, boolean ipv4) {
    if (ipv4) {
      return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }
    return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
  }

  private String networkText() {
    return IpAddress.of(high & highMask, low & lowMask, ipv4).toString();
  }

  /** Whether {@code address} lies in this range; an IPv4 address never lies in an IPv6 range or vice versa. Allocates nothing. */
  public boolean contains(@Nullable IpAddress address) {
    return address != null
        && address.isIpv4() == ipv4
        && (address.high() & highMask) == (high & highMask)
        && (address.low() & lowMask) == (low & lowMask);
  }

  /** Whether every address of {@code other} lies in this range. */
  public boolean contains(IpRange other) {
    return other.ipv4 == ipv4 && other.prefix >= prefix && contains(IpAddress.of(other.high, other.low, other.ipv4));
  }

  public boolean isIpv4() {
    return ipv4;
  }

  public int prefixLength() {
    return prefix;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IpRange r && r.high == high && r.low == low && r.prefix == prefix && r.ipv4 == ipv4;
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(high) * 31 + Long.hashCode(low)) * 31 + prefix * 2 + (ipv4 ? 1 : 0);
  }

  /** Canonical CIDR text, always with the prefix length: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
  @Override
  public String toString() {
    return IpAddress.of(high, low, ipv4) + "/" + prefix;
  }
}
