package dev.latchkey;

import dev.latchkey.internal.Checks;
import java.util.Optional;
import java.util.Set;

/** Changes to a principal; empty fields stay as they are. The identifier and scope never change. */
public record PrincipalEdit(
    Optional<String> name, Optional<String> description, Optional<Set<String>> roles, Optional<Set<String>> permissions) {
  public PrincipalEdit {
    Checks.notNull("name", name).ifPresent(n -> Checks.name("principal name", n));
    Checks.notNull("description", description).ifPresent(d -> Checks.description("principal description", d));
    roles = Checks.notNull("roles", roles).map(r -> Checks.grants("roles", r));
    permissions = Checks.notNull("permissions", permissions).map(p -> Checks.grants("permissions", p));
  }

  public static PrincipalEdit none() {
    return new PrincipalEdit(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public PrincipalEdit name(String name) {
    return new PrincipalEdit(Optional.of(name), description, roles, permissions);
  }

  public PrincipalEdit description(String description) {
    return new PrincipalEdit(name, Optional.of(description), roles, permissions);
  }

  public PrincipalEdit roles(Set<String> roles) {
    return new PrincipalEdit(name, description, Optional.of(roles), permissions);
  }

  public PrincipalEdit permissions(Set<String> permissions) {
    return new PrincipalEdit(name, description, roles, Optional.of(permissions));
  }
}
