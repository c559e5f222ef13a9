package dev.latchkey.servlet;

import dev.latchkey.IpAddress;
import dev.latchkey.IpRange;
import dev.latchkey.RequestContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Finds the client address a request's credential is checked against (key and token allow-lists).
 *
 * <p>The immediate peer ({@code getRemoteAddr()}) is the client unless it is a configured trusted
 * proxy. Only then is the one forwarding header the proxies write read: {@code X-Forwarded-For} by
 * default, or {@code Forwarded} (RFC 7239, its {@code for=} parameters) when configured. The other
 * header is never read: a proxy that appends to one passes a client's own copy of the other through
 * untouched, so believing whichever is present would let a client name any address. Its hops are
 * walked from the nearest
 * (rightmost) back: trusted proxies are skipped, and the first address that is not one is the
 * client. Anything a client could have made up stops the walk with no address at all (so an
 * allow-listed credential fails, and an unrestricted one is unaffected): a hop that is not an
 * address literal ({@code unknown}, an obfuscated {@code _name}, a host name: never resolved),
 * more than {@value #MAX_HOPS} hops, or a header longer than {@value #MAX_HEADER_CHARS} characters.
 * With no trusted proxies (the default) the headers are never read, so a client cannot spoof its
 * address with them.
 */
final class ClientAddress {
  /** Most trusted-proxy ranges a filter may be configured with. */
  static final int MAX_TRUSTED_PROXIES = 64;
  /** Most forwarding hops examined; a longer chain gives no address. */
  static final int MAX_HOPS = 32;
  /** Longest forwarding header value (all lines of it together) examined. */
  static final int MAX_HEADER_CHARS = 4096;

  /** The header read by default. */
  static final String X_FORWARDED_FOR = "X-Forwarded-For";
  /** RFC 7239's header, read only when configured. */
  static final String FORWARDED = "Forwarded";

  private final List<IpRange> trustedProxies;
  private final boolean rfc7239;

  ClientAddress(List<IpRange> trustedProxies, boolean rfc7239) {
    this.trustedProxies = List.copyOf(trustedProxies);
    this.rfc7239 = rfc7239;
  }

  /** The forwarding header believed from trusted proxies. */
  String header() {
    return rfc7239 ? FORWARDED : X_FORWARDED_FOR;
  }

  List<IpRange> trustedProxies() {
    return trustedProxies;
  }

  RequestContext of(HttpServletRequest request) {
    IpAddress peer = literal(request.getRemoteAddr());
    if (peer == null) {
      return RequestContext.NONE;
    }
    if (!trusted(peer)) {
      return RequestContext.from(peer);
    }
    List<String> hops = new ArrayList<>();
    if (!readHops(request.getHeaders(header()), rfc7239, hops)) {
      return RequestContext.from(peer); // a trusted proxy that forwarded nothing: it is the client
    }
    if (hops.isEmpty() || hops.size() > MAX_HOPS) {
      return RequestContext.NONE;
    }
    IpAddress client = null;
    for (int i = hops.size() - 1; i >= 0; i--) {
      IpAddress hop = literal(hops.get(i));
      if (hop == null) {
        return RequestContext.NONE;
      }
      client = hop;
      if (!trusted(hop)) {
        break;
      }
    }
    return RequestContext.from(client);
  }

  private boolean trusted(IpAddress a) {
    for (IpRange r : trustedProxies) {
      if (r.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds the hops of every line of one header, in order; false if the header is absent. Too long a
   * value adds an unparseable hop, which makes the result "no address".
   */
  private static boolean readHops(Enumeration<String> lines, boolean rfc7239, List<String> hops) {
    if (lines == null || !lines.hasMoreElements()) {
      return false;
    }
    int chars = 0;
    while (lines.hasMoreElements()) {
      String line = lines.nextElement();
      chars += line == null ? 0 : line.length();
      if (line == null || chars > MAX_HEADER_CHARS) {
        hops.add("");
        return true;
      }
      for (String element : line.split(",", -1)) {
        if (hops.size() > MAX_HOPS) {
          return true;
        }
        hops.add(rfc7239 ? forParameter(element) : element.strip());
      }
    }
    return true;
  }

  /** The {@code for=} value of one {@code Forwarded} element, unquoted; "" if it has none. */
  private static String forParameter(String element) {
    for (String pair : element.split(";", -1)) {
      String p = pair.strip();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("for")) {
        String v = p.substring(eq + 1).strip();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
          v = v.substring(1, v.length() - 1);
        }
        return v;
      }
    }
    return "";
  }

  /**
   * An address literal with an optional port: {@code 192.0.2.1}, {@code 192.0.2.1:443}, {@code
   * 2001:db8::1}, {@code [2001:db8::1]} or {@code [2001:db8::1]:443}. Null for anything else.
   */
  static IpAddress literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return null;
    }
    if (s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 0 || !(close == s.length() - 1 || (s.charAt(close + 1) == ':' && isPort(s, close + 2)))) {
        return null;
      }
      IpAddress a = IpAddress.tryParse(s.substring(1, close));
      return a != null && !a.isIpv4() ? a : null; // brackets hold IPv6 only
    }
    int colon = s.indexOf(':');
    if (colon >= 0 && colon == s.lastIndexOf(':')) { // one colon: IPv4 with a port
      return isPort(s, colon + 1) ? IpAddress.tryParse(s.substring(0, colon)) : null; // no colon left: IPv4 only
    }
    return IpAddress.tryParse(s);
  }

  private static boolean isPort(String s, int from) {
    int n = s.length() - from;
    if (n < 1 || n > 5) {
      return false;
    }
    int port = 0;
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
      port = port * 10 + (s.charAt(i) - '0');
    }
    return port <= 65535;
  }
}
