package dev.latchkey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What an API key or a token is narrowed to. A verified token carries the intersection of its
 * principal's current rights, its key's restriction and its own: a restriction can only take away,
 * never add. Names match exactly; there are no wildcards ({@code deploy.*} is an ordinary name
 * that only a principal holding {@code deploy.*} can use).
 *
 * @param permissions the only permissions the credential may carry; null for no restriction (all
 *     of the principal's), empty for none at all
 * @param roles the only roles the credential may carry; null for no restriction, empty for none
 * @param allowedAddresses where the credential may be used from: empty for anywhere, otherwise at
 *     most {@value #MAX_ALLOWED_ADDRESSES} ranges of which the client's address must lie in one. A
 *     verification without a client address (plain {@link TokenVerifier#verify(CharSequence)})
 *     never passes a non-empty list.
 */
public record Restriction(@Nullable Set<String> permissions, @Nullable Set<String> roles,
    List<IpRange> allowedAddresses) {

  /** Most address ranges one key or one token may list. */
  public static final int MAX_ALLOWED_ADDRESSES = 16;

  /** No restriction: everything the principal holds, from anywhere. */
  public static final Restriction NONE = new Restriction(null, null, List.of());

  public Restriction {
    permissions = permissions == null ? null : Checks.grants("restricted permissions", permissions);
    roles = roles == null ? null : Checks.grants("restricted roles", roles);
    Checks.notNull("allowed addresses", allowedAddresses);
    if (allowedAddresses.size() > MAX_ALLOWED_ADDRESSES) {
      throw new InvalidArgumentException("at most " + MAX_ALLOWED_ADDRESSES + " allowed address ranges (had "
          + allowedAddresses.size() + ")");
    }
    LinkedHashSet<IpRange> unique = new LinkedHashSet<>();
    for (IpRange r : allowedAddresses) {
      unique.add(Checks.notNull("allowed address range", r));
    }
    allowedAddresses = List.copyOf(unique);
  }

  /** Only these permissions (and every role, from anywhere). */
  public static Restriction permissions(String... permissions) {
    return NONE.withPermissions(Set.of(permissions));
  }

  /** Only from these CIDR ranges (and every permission and role). */
  public static Restriction from(String... ranges) {
    return NONE.withAllowedAddresses(ranges);
  }

  /** Parses CIDR ranges; see {@link IpRange#parse}. */
  public static List<IpRange> parseRanges(List<String> ranges) {
    Checks.notNull("allowed addresses", ranges);
    if (ranges.size() > MAX_ALLOWED_ADDRESSES) {
      throw new InvalidArgumentException(
          "at most " + MAX_ALLOWED_ADDRESSES + " allowed address ranges (had " + ranges.size() + ")");
    }
    List<IpRange> parsed = new ArrayList<>(ranges.size());
    for (String r : ranges) {
      parsed.add(IpRange.parse(r));
    }
    return parsed;
  }

  public Restriction withPermissions(@Nullable Set<String> permissions) {
    return new Restriction(permissions, roles, allowedAddresses);
  }

  public Restriction withRoles(@Nullable Set<String> roles) {
    return new Restriction(permissions, roles, allowedAddresses);
  }

  public Restriction withAllowedAddresses(String... ranges) {
    return new Restriction(permissions, roles, parseRanges(Arrays.asList(ranges)));
  }

  public Restriction withAllowedRanges(List<IpRange> ranges) {
    return new Restriction(permissions, roles, ranges);
  }

  /** True when this restricts nothing. */
  public boolean isNone() {
    return permissions == null && roles == null && allowedAddresses.isEmpty();
  }

  /** True when the credential may be used only from listed addresses. */
  public boolean restrictsAddress() {
    return !allowedAddresses.isEmpty();
  }

  /**
   * Whether a client at {@code address} (null: unknown) may use the credential. Allocates nothing.
   */
  public boolean allows(@Nullable IpAddress address) {
    List<IpRange> ranges = allowedAddresses;
    int n = ranges.size();
    if (n == 0) {
      return true;
    }
    if (address == null) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (ranges.get(i).contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** {@code held} narrowed by this restriction: all of it when unrestricted, else the names in both. */
  public Set<String> narrowPermissions(Set<String> held) {
    return intersect(held, permissions);
  }

  public Set<String> narrowRoles(Set<String> held) {
    return intersect(held, roles);
  }

  private static Set<String> intersect(Set<String> held, @Nullable Set<String> allowed) {
    if (allowed == null) {
      return held;
    }
    Set<String> both = new TreeSet<>(held);
    both.retainAll(allowed);
    return Collections.unmodifiableSet(both);
  }

  /**
   * Whether this restriction allows nothing that {@code wider} does not: changing a credential from
   * {@code wider} to this is a narrowing (or no change). Address lists: each of this list's ranges
   * must lie inside one of {@code wider}'s, and an empty list (anywhere) lies inside only an empty one.
   */
  public boolean isWithin(Restriction wider) {
    return within(permissions, wider.permissions)
        && within(roles, wider.roles)
        && rangesWithin(allowedAddresses, wider.allowedAddresses);
  }

  private static boolean within(@Nullable Set<String> narrower, @Nullable Set<String> wider) {
    return wider == null || (narrower != null && wider.containsAll(narrower));
  }

  private static boolean rangesWithin(List<IpRange> narrower, List<IpRange> wider) {
    if (wider.isEmpty()) {
      return true;
    }
    if (narrower.isEmpty()) {
      return false;
    }
    for (IpRange n : narrower) {
      if (wider.stream().noneMatch(w -> w.contains(n))) {
        return false;
      }
    }
    return true;
  }

  /** Short text for listings and logs, e.g. {@code permissions=[read] roles=* from=[10.0.0.0/8]}. */
  @Override
  public String toString() {
    if (isNone()) {
      return "none";
    }
    return "permissions=" + (permissions == null ? "*" : permissions) + " roles=" + (roles == null ? "*" : roles)
        + " from=" + (allowedAddresses.isEmpty() ? "*" : allowedAddresses);
  }
}
