package dev.latchkey;

/** The two kinds of principal that own API keys. */
public enum PrincipalType {
  /** A person's personal account inside an account; its tokens are personal access tokens. */
  USER("user", "pat"),
  /** A non-human principal at account, org or project scope; its tokens are service account tokens. */
  SERVICE_ACCOUNT("sa", "sat");

  private final String pathSegment;
  private final String tokenKind;

  PrincipalType(String pathSegment, String tokenKind) {
    this.pathSegment = pathSegment;
    this.tokenKind = tokenKind;
  }

  /** The segment used in {@link PrincipalRef#toString()}: {@code user} or {@code sa}. */
  public String pathSegment() {
    return pathSegment;
  }

  /** The kind written into tokens of this principal type: {@code pat} or {@code sat}. */
  public String tokenKind() {
    return tokenKind;
  }

  static PrincipalType fromPathSegment(String segment) {
    for (PrincipalType t : values()) {
      if (t.pathSegment.equals(segment)) {
        return t;
      }
    }
    throw new InvalidArgumentException("principal type must be 'user' or 'sa'");
  }
}
