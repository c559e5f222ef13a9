package dev.latchkey;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A token verified: the principal it belongs to, with the principal's scope, roles and permissions
 * as they were when the token was checked (tokens carry no grants of their own).
 *
 * @param token the token's identifier, and through it its API key and owner
 * @param lookupId the token's public lookup id, for correlating logs; not secret
 * @param expiresAt when the token expires; null if it never does
 */
public record Verified(
    PrincipalRef principal,
    Scope scope,
    Set<String> roles,
    Set<String> permissions,
    TokenRef token,
    String lookupId,
    @Nullable Instant expiresAt)
    implements VerificationResult {

  public Verified {
    roles = Set.copyOf(roles);
    permissions = Set.copyOf(permissions);
  }

  @Override
  public boolean isValid() {
    return true;
  }

  public ApiKeyRef apiKey() {
    return token.apiKey();
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public boolean hasPermission(String permission) {
    return permissions.contains(permission);
  }
}
