package dev.latchkey;


/** Names an API key: its owning principal and its identifier, unique per owner. */
public record ApiKeyRef(PrincipalRef owner, String id) {
  public ApiKeyRef {
    Checks.notNull("API key owner", owner);
    Checks.identifier("API key id", id);
  }

  public TokenRef token(String tokenId) {
    return new TokenRef(this, tokenId);
  }

  /** Parses {@code account/user|sa/principal/key}. */
  public static ApiKeyRef parse(String path) {
    Checks.notNull("API key path", path);
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      throw new InvalidArgumentException("an API key path has the form account/user|sa/principal/key");
    }
    return new ApiKeyRef(PrincipalRef.parse(path.substring(0, slash)), path.substring(slash + 1));
  }

  @Override
  public String toString() {
    return owner + "/" + id;
  }
}
