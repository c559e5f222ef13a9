package dev.latchkey.servlet;

import dev.latchkey.servlet.HeaderCredentials.Extraction;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * Reads a servlet request's credential headers and applies {@link HeaderCredentials}' rules to
 * them (the rules live there, free of Servlet types, so other integrations share them).
 */
final class CredentialReader {
  static final String AUTHORIZATION = HeaderCredentials.AUTHORIZATION;

  private final HeaderCredentials rules;
  private final boolean bearer;
  private final String apiKeyHeader;

  /** @param apiKeyHeader null when that source is disabled */
  CredentialReader(boolean bearer, String apiKeyHeader, int maxHeaderLength) {
    this.rules = new HeaderCredentials(bearer, apiKeyHeader, maxHeaderLength);
    this.bearer = bearer;
    this.apiKeyHeader = apiKeyHeader;
  }

  Extraction read(HttpServletRequest request) {
    String authorization = null;
    boolean moreAuthorization = false;
    if (bearer) {
      Enumeration<String> values = request.getHeaders(AUTHORIZATION);
      if (values != null && values.hasMoreElements()) {
        authorization = values.nextElement();
        moreAuthorization = values.hasMoreElements();
      }
    }
    String apiKey = null;
    boolean moreApiKeys = false;
    if (apiKeyHeader != null) {
      Enumeration<String> values = request.getHeaders(apiKeyHeader);
      if (values != null && values.hasMoreElements()) {
        apiKey = values.nextElement();
        moreApiKeys = values.hasMoreElements();
      }
    }
    return rules.read(authorization, moreAuthorization, apiKey, moreApiKeys);
  }

  static int bearerTokenStart(String value) {
    return HeaderCredentials.bearerTokenStart(value);
  }
}
