package dev.latchkey;


/**
 * Names a token by its immutable, caller-chosen identifier, unique per API key. This is not the
 * token's public lookup id, which is random and part of the token value.
 */
public record TokenRef(ApiKeyRef apiKey, String id) {
  public TokenRef {
    Checks.notNull("token's API key", apiKey);
    Checks.identifier("token id", id);
  }

  public PrincipalRef owner() {
    return apiKey.owner();
  }

  /** Parses {@code account/user|sa/principal/key/token}. */
  public static TokenRef parse(String path) {
    Checks.notNull("token path", path);
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      throw new InvalidArgumentException("a token path has the form account/user|sa/principal/key/token");
    }
    return new TokenRef(ApiKeyRef.parse(path.substring(0, slash)), path.substring(slash + 1));
  }

  @Override
  public String toString() {
    return apiKey + "/" + id;
  }
}
