package dev.latchkey;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Changes to a principal; a null component leaves that field as it is. The identifier and scope
 * never change.
 */
public record PrincipalEdit(
    @Nullable String name,
    @Nullable String description,
    @Nullable Set<String> roles,
    @Nullable Set<String> permissions) {
  public PrincipalEdit {
    if (name != null) {
      Checks.name("principal name", name);
    }
    if (description != null) {
      Checks.description("principal description", description);
    }
    if (roles != null) {
      roles = Checks.grants("roles", roles);
    }
    if (permissions != null) {
      permissions = Checks.grants("permissions", permissions);
    }
  }

  public static PrincipalEdit none() {
    return new PrincipalEdit(null, null, null, null);
  }

  public PrincipalEdit name(String name) {
    return new PrincipalEdit(Checks.notNull("name", name), description, roles, permissions);
  }

  public PrincipalEdit description(String description) {
    return new PrincipalEdit(name, Checks.notNull("description", description), roles, permissions);
  }

  public PrincipalEdit roles(Set<String> roles) {
    return new PrincipalEdit(name, description, Checks.notNull("roles", roles), permissions);
  }

  public PrincipalEdit permissions(Set<String> permissions) {
    return new PrincipalEdit(name, description, roles, Checks.notNull("permissions", permissions));
  }
}
