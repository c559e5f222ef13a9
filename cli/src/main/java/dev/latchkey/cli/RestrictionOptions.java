package dev.latchkey.cli;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IpRange;
import dev.latchkey.Restriction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The restriction options of key create/edit and token issue/edit. On create and issue they make
 * the restriction; on edit each one given replaces that part of the current restriction, and
 * {@code --clear-restriction} lifts all of it (a widening, allowed only within the owner's rights).
 */
final class RestrictionOptions {
  @Option(names = "--only-permissions", paramLabel = "<names>", split = ",",
      description = "Restrict to these permissions (comma-separated or repeated); they must be the owner's."
          + " Use --no-permissions for none at all.")
  List<String> permissions;

  @Option(names = "--no-permissions", description = "Restrict to no permission at all.")
  boolean noPermissions;

  @Option(names = "--only-roles", paramLabel = "<names>", split = ",",
      description = "Restrict to these roles (comma-separated or repeated); they must be the owner's.")
  List<String> roles;

  @Option(names = "--allow-from", paramLabel = "<cidr>", split = ",",
      description = "Usable only from these IPv4/IPv6 addresses or CIDR ranges (comma-separated or repeated;"
          + " at most 16). Host names are refused.")
  List<String> allowFrom;

  @Option(names = "--clear-restriction", description = "(edit) Lift the whole restriction.")
  boolean clear;

  boolean given() {
    return permissions != null || noPermissions || roles != null || allowFrom != null || clear;
  }

  /** The restriction these options make on their own (create, issue). */
  Restriction restriction() {
    if (clear) {
      throw new UsageException("--clear-restriction is for edit; to create without a restriction, leave it out");
    }
    return applyTo(Restriction.NONE);
  }

  /** {@code current} with the parts these options give replaced (edit). */
  Restriction applyTo(Restriction current) {
    if (clear && (permissions != null || noPermissions || roles != null || allowFrom != null)) {
      throw new UsageException("give either --clear-restriction or the parts of a new restriction, not both");
    }
    if (noPermissions && permissions != null) {
      throw new UsageException("give either --only-permissions or --no-permissions, not both");
    }
    if (clear) {
      return Restriction.NONE;
    }
    Restriction r = current;
    try {
      if (noPermissions) {
        r = r.withPermissions(Set.of());
      } else if (permissions != null) {
        r = r.withPermissions(names("--only-permissions", permissions));
      }
      if (roles != null) {
        r = r.withRoles(names("--only-roles", roles));
      }
      if (allowFrom != null) {
        List<String> ranges = new ArrayList<>();
        for (String a : allowFrom) {
          if (!a.isBlank()) {
            ranges.add(a.strip());
          }
        }
        if (ranges.isEmpty()) {
          throw new UsageException("--allow-from needs at least one address or CIDR range");
        }
        r = r.withAllowedRanges(Restriction.parseRanges(ranges));
      }
    } catch (InvalidArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return r;
  }

  private static Set<String> names(String option, List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      if (!v.isBlank()) {
        out.add(v.strip());
      }
    }
    if (out.isEmpty()) {
      throw new UsageException(option + " needs at least one name");
    }
    return out;
  }

  /** The JSON view: null for an unrestricted part. */
  static Map<String, Object> view(Restriction r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("permissions", r.permissions() == null ? null : List.copyOf(r.permissions()));
    m.put("roles", r.roles() == null ? null : List.copyOf(r.roles()));
    m.put("allowedAddresses", r.allowedAddresses().stream().map(IpRange::toString).toList());
    return m;
  }
}
