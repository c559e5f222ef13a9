package dev.latchkey;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a service account or API key lives: an account, an organization in it, or a project in an
 * organization. String form: {@code account}, {@code account/org} or {@code account/org/project}.
 */
public final class Scope {
  private final String accountId;
  private final @Nullable String orgId;
  private final @Nullable String projectId;

  private Scope(@Nullable String accountId, @Nullable String orgId, @Nullable String projectId) {
    this.accountId = Checks.identifier("account id", accountId);
    this.orgId = orgId == null ? null : Checks.identifier("org id", orgId);
    this.projectId = projectId == null ? null : Checks.identifier("project id", projectId);
  }

  public static Scope account(String accountId) {
    return new Scope(accountId, null, null);
  }

  public static Scope org(String accountId, String orgId) {
    return new Scope(accountId, Checks.notNull("org id", orgId), null);
  }

  public static Scope project(String accountId, String orgId, String projectId) {
    return new Scope(accountId, Checks.notNull("org id", orgId), Checks.notNull("project id", projectId));
  }

  /** Parses {@code account}, {@code account/org} or {@code account/org/project}. */
  public static Scope parse(String path) {
    Checks.notNull("scope", path);
    String[] parts = path.split("/", -1);
    switch (parts.length) {
      case 1:
        return account(parts[0]);
      case 2:
        return org(parts[0], parts[1]);
      case 3:
        return project(parts[0], parts[1], parts[2]);
      default:
        throw new InvalidArgumentException("a scope has the form account, account/org or account/org/project");
    }
  }

  public String accountId() {
    return accountId;
  }

  public Optional<String> orgId() {
    return Optional.ofNullable(orgId);
  }

  public Optional<String> projectId() {
    return Optional.ofNullable(projectId);
  }

  public boolean isAccountScope() {
    return orgId == null;
  }

  /**
   * Whether {@code other} lies within this scope: an account contains its orgs and their projects,
   * an org its projects, and every scope contains itself. Scopes of different accounts never
   * contain each other.
   */
  public boolean contains(Scope other) {
    Checks.notNull("scope", other);
    return accountId.equals(other.accountId)
        && (orgId == null || orgId.equals(other.orgId))
        && (projectId == null || projectId.equals(other.projectId));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Scope s
        && accountId.equals(s.accountId)
        && Objects.equals(orgId, s.orgId)
        && Objects.equals(projectId, s.projectId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accountId, orgId, projectId);
  }

  @Override
  public String toString() {
    return accountId + (orgId == null ? "" : "/" + orgId) + (projectId == null ? "" : "/" + projectId);
  }
}
