package dev.latchkey.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * Finds the one credential of a request in the enabled sources, without interpreting it.
 *
 * <p>Rules, chosen so that there is never a question which credential counts:
 *
 * <ul>
 *   <li>An {@code Authorization} header is ours when its scheme is {@code Bearer} in any ASCII case
 *       (RFC 7235 §2.1). The scheme is followed by one or more spaces, which are skipped (RFC 7235
 *       allows {@code 1*SP}); everything after them is the token, passed on unchanged. Other schemes
 *       ({@code Basic ...}) are not ours and are ignored, as if the header were absent.
 *   <li>The API-key header's whole value is the token, unchanged.
 *   <li>More than one {@code Authorization} header, more than one API-key header, or a bearer
 *       token and an API-key header together: the request is ambiguous and rejected.
 *   <li>A credential header longer than the cap is rejected without being looked at further.
 * </ul>
 *
 * The container has already removed the optional whitespace around a field value (RFC 9110 §5.5);
 * nothing here trims, normalises or case-folds the token.
 */
final class CredentialReader {
  static final String AUTHORIZATION = "Authorization";
  private static final String BEARER_LOWER = "bearer";

  /** Where a credential came from; only for logs. */
  enum Source {
    AUTHORIZATION_BEARER,
    API_KEY_HEADER
  }

  /** The outcome of {@link #read}: a credential, or a reason there is none to verify. */
  sealed interface Extraction permits Credential, Problem {}

  record Credential(Source source, String token) implements Extraction {
    @Override
    public String toString() {
      return "Credential[" + source + ", redacted]";
    }
  }

  enum Problem implements Extraction {
    /** No credential in any enabled source: answered with a bare {@code Bearer} challenge. */
    MISSING,
    DUPLICATE_AUTHORIZATION_HEADER,
    DUPLICATE_API_KEY_HEADER,
    TWO_CREDENTIALS,
    HEADER_TOO_LONG
  }

  private final boolean bearer;
  private final String apiKeyHeader;
  private final int maxHeaderLength;

  /** @param apiKeyHeader null when that source is disabled */
  CredentialReader(boolean bearer, String apiKeyHeader, int maxHeaderLength) {
    this.bearer = bearer;
    this.apiKeyHeader = apiKeyHeader;
    this.maxHeaderLength = maxHeaderLength;
  }

  Extraction read(HttpServletRequest request) {
    String bearerToken = null;
    if (bearer) {
      Enumeration<String> values = request.getHeaders(AUTHORIZATION);
      if (values != null && values.hasMoreElements()) {
        String value = values.nextElement();
        if (values.hasMoreElements()) {
          return Problem.DUPLICATE_AUTHORIZATION_HEADER;
        }
        int start = bearerTokenStart(value);
        if (start >= 0) {
          if (value.length() > maxHeaderLength) {
            return Problem.HEADER_TOO_LONG;
          }
          bearerToken = value.substring(start);
        }
      }
    }
    if (apiKeyHeader != null) {
      Enumeration<String> values = request.getHeaders(apiKeyHeader);
      if (values != null && values.hasMoreElements()) {
        String value = values.nextElement();
        if (values.hasMoreElements()) {
          return Problem.DUPLICATE_API_KEY_HEADER;
        }
        if (bearerToken != null) {
          return Problem.TWO_CREDENTIALS;
        }
        if (value.length() > maxHeaderLength) {
          return Problem.HEADER_TOO_LONG;
        }
        return new Credential(Source.API_KEY_HEADER, value);
      }
    }
    return bearerToken == null ? Problem.MISSING : new Credential(Source.AUTHORIZATION_BEARER, bearerToken);
  }

  /**
   * Where the token starts in an {@code Authorization} value, or -1 if the scheme is not Bearer.
   * {@code "Bearer"} alone gives an empty token (rejected by the verifier). A tab after the scheme
   * is not a legal separator but still marks a bearer attempt: it is left in the token, so the
   * verifier rejects it rather than the request passing as "no credential".
   */
  static int bearerTokenStart(String value) {
    int n = value.length();
    if (n < BEARER_LOWER.length()) {
      return -1;
    }
    for (int i = 0; i < BEARER_LOWER.length(); i++) {
      // (c | 0x20) folds ASCII upper case only: no other char maps onto these lower-case letters.
      if ((value.charAt(i) | 0x20) != BEARER_LOWER.charAt(i)) {
        return -1;
      }
    }
    int i = BEARER_LOWER.length();
    if (i < n && value.charAt(i) != ' ' && value.charAt(i) != '\t') {
      return -1; // another scheme that merely starts with "bearer", e.g. "Bearerx"
    }
    while (i < n && value.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
