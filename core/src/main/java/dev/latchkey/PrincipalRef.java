package dev.latchkey;


/**
 * Names a principal: a user or service account inside an account. Identifiers are unique per
 * account and type. The string form is {@code account/user/id} or {@code account/sa/id}.
 */
public record PrincipalRef(String accountId, PrincipalType type, String id) {
  public PrincipalRef {
    Checks.identifier("account id", accountId);
    Checks.notNull("principal type", type);
    Checks.identifier(type == PrincipalType.USER ? "user id" : "service account id", id);
  }

  public static PrincipalRef user(String accountId, String userId) {
    return new PrincipalRef(accountId, PrincipalType.USER, userId);
  }

  public static PrincipalRef serviceAccount(String accountId, String serviceAccountId) {
    return new PrincipalRef(accountId, PrincipalType.SERVICE_ACCOUNT, serviceAccountId);
  }

  /** Parses the form produced by {@link #toString()}. */
  public static PrincipalRef parse(String path) {
    Checks.notNull("principal path", path);
    String[] parts = path.split("/", -1);
    if (parts.length != 3) {
      throw new InvalidArgumentException("a principal path has the form account/user/id or account/sa/id");
    }
    return new PrincipalRef(parts[0], PrincipalType.fromPathSegment(parts[1]), parts[2]);
  }

  public ApiKeyRef apiKey(String apiKeyId) {
    return new ApiKeyRef(this, apiKeyId);
  }

  @Override
  public String toString() {
    return accountId + "/" + type.pathSegment() + "/" + id;
  }
}
