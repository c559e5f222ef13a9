package dev.latchkey;

import java.time.Instant;
import java.util.Set;

/**
 * A user or service account. Its roles and permissions are what its tokens carry: a verified token
 * yields the principal's grants as they are at verification time. A disabled principal's tokens do
 * not verify.
 *
 * @param version increases by one with every stored change; used for compare-and-set updates
 */
public record Principal(
    PrincipalRef ref,
    String name,
    String description,
    Scope scope,
    Set<String> roles,
    Set<String> permissions,
    boolean enabled,
    Instant createdAt,
    long version) {

  public Principal {
    Checks.notNull("principal", ref);
    Checks.name("principal name", name);
    description = Checks.description("principal description", description);
    Checks.notNull("scope", scope);
    if (!scope.accountId().equals(ref.accountId())) {
      throw new InvalidArgumentException("a principal's scope must be inside its own account");
    }
    if (ref.type() == PrincipalType.USER && !scope.isAccountScope()) {
      throw new InvalidArgumentException("users live at account scope");
    }
    roles = Checks.grants("roles", roles);
    permissions = Checks.grants("permissions", permissions);
    Checks.notNull("createdAt", createdAt);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public boolean hasPermission(String permission) {
    return permissions.contains(permission);
  }

  /**
   * Checks one permission name against the rule every principal's permissions follow: 1 to 128
   * characters from letters, digits and {@code _ . : -}. There are no wildcards: a principal holds
   * a permission only under its exact name. For integrations that read permission names from
   * configuration, so that they refuse a name no principal can hold.
   *
   * @return {@code permission}
   * @throws InvalidArgumentException saying which rule the name breaks
   */
  public static String checkPermissionName(String permission) {
    return Checks.grant("a permission name", permission);
  }

  public Principal withEnabled(boolean enabled) {
    return new Principal(ref, name, description, scope, roles, permissions, enabled, createdAt, version + 1);
  }
}
