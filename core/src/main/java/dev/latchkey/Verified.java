package dev.latchkey;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A token verified: the principal it belongs to, with the principal's scope, and the roles and
 * permissions the token carries: the principal's as they were when the token was checked, narrowed
 * by the key's and the token's {@link Restriction}s (a restriction never adds anything).
 *
 * @param token the token's identifier, and through it its API key and owner
 * @param lookupId the token's public lookup id, for correlating logs; not secret
 * @param expiresAt when the token expires; null if it never does
 * @param keyRestriction the restriction of the token's API key, already applied to roles and
 *     permissions (and to the client address)
 * @param tokenRestriction the token's own restriction, already applied likewise
 */
public record Verified(
    PrincipalRef principal,
    Scope scope,
    Set<String> roles,
    Set<String> permissions,
    TokenRef token,
    String lookupId,
    @Nullable Instant expiresAt,
    Restriction keyRestriction,
    Restriction tokenRestriction)
    implements VerificationResult {

  public Verified {
    roles = Set.copyOf(roles);
    permissions = Set.copyOf(permissions);
    if (keyRestriction == null || tokenRestriction == null) {
      throw new InvalidArgumentException("restrictions are required (Restriction.NONE for none)");
    }
  }

  /** A token without restrictions: it carries all of its principal's roles and permissions. */
  public Verified(PrincipalRef principal, Scope scope, Set<String> roles, Set<String> permissions, TokenRef token,
      String lookupId, @Nullable Instant expiresAt) {
    this(principal, scope, roles, permissions, token, lookupId, expiresAt, Restriction.NONE, Restriction.NONE);
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
