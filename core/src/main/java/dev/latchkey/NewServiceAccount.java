package dev.latchkey;

import java.util.Set;

/**
 * A service account to create, at account, org or project scope. Its identifier is unique within
 * its account (whatever the scope).
 */
public record NewServiceAccount(
    Scope scope, String id, String name, String description, Set<String> roles, Set<String> permissions) {
  public NewServiceAccount {
    Checks.notNull("scope", scope);
    Checks.identifier("service account id", id);
    Checks.name("service account name", name);
    description = Checks.description("service account description", description);
    roles = Checks.grants("roles", roles);
    permissions = Checks.grants("permissions", permissions);
  }

  public static NewServiceAccount of(Scope scope, String id, String name) {
    return new NewServiceAccount(scope, id, name, "", Set.of(), Set.of());
  }

  public PrincipalRef ref() {
    return PrincipalRef.serviceAccount(scope.accountId(), id);
  }

  public NewServiceAccount withDescription(String description) {
    return new NewServiceAccount(scope, id, name, description, roles, permissions);
  }

  public NewServiceAccount withRoles(Set<String> roles) {
    return new NewServiceAccount(scope, id, name, description, roles, permissions);
  }

  public NewServiceAccount withPermissions(Set<String> permissions) {
    return new NewServiceAccount(scope, id, name, description, roles, permissions);
  }
}
