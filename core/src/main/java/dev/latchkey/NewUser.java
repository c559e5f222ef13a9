package dev.latchkey;

import java.util.Set;

/** A user to create: a person's personal account inside an account, at account scope. */
public record NewUser(PrincipalRef ref, String name, String description, Set<String> roles, Set<String> permissions) {
  public NewUser {
    Checks.notNull("user", ref);
    if (ref.type() != PrincipalType.USER) {
      throw new InvalidArgumentException("NewUser needs a user reference, not a service account");
    }
    Checks.name("user name", name);
    description = Checks.description("user description", description);
    roles = Checks.grants("roles", roles);
    permissions = Checks.grants("permissions", permissions);
  }

  public static NewUser of(String accountId, String userId, String name) {
    return new NewUser(PrincipalRef.user(accountId, userId), name, "", Set.of(), Set.of());
  }

  public NewUser withDescription(String description) {
    return new NewUser(ref, name, description, roles, permissions);
  }

  public NewUser withRoles(Set<String> roles) {
    return new NewUser(ref, name, description, roles, permissions);
  }

  public NewUser withPermissions(Set<String> permissions) {
    return new NewUser(ref, name, description, roles, permissions);
  }
}
