package dev.latchkey.servlet;

import dev.latchkey.TokenVerifier;

/** A filter's complete, validated, immutable configuration. */
record FilterSettings(
    TokenVerifier verifier,
    boolean bearer,
    String apiKeyHeader,
    String realm,
    int maxHeaderLength,
    PermissionRules rules,
    ClientAddress clientAddress,
    CredentialReader reader,
    Responses responses) {

  FilterSettings(TokenVerifier verifier, boolean bearer, String apiKeyHeader, String realm, int maxHeaderLength,
      PermissionRules rules, ClientAddress clientAddress) {
    this(verifier, bearer, apiKeyHeader, realm, maxHeaderLength, rules, clientAddress,
        new CredentialReader(bearer, apiKeyHeader, maxHeaderLength), new Responses(realm));
  }

  @Override
  public String toString() {
    return "bearer=" + bearer
        + ", apiKeyHeader=" + (apiKeyHeader == null ? "none" : apiKeyHeader)
        + ", realm=" + (realm == null ? "none" : realm)
        + ", maxHeaderLength=" + maxHeaderLength
        + ", requiredPermissions=" + rules
        + ", trustedProxies=" + (clientAddress.trustedProxies().isEmpty() ? "none"
            : clientAddress.trustedProxies() + " (believed header: " + clientAddress.header() + ")");
  }
}
