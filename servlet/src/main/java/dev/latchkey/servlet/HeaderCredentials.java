package dev.latchkey.servlet;

import java.util.List;

/**
 * Finds the one credential among a request's header values, without interpreting it. It uses no
 * Servlet type, so integrations that are not servlets (Spring WebFlux, the Spring Security
 * integration) apply exactly the rules that {@link LatchkeyFilter} applies.
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
 * The server has already removed the optional whitespace around a field value (RFC 9110 §5.5);
 * nothing here trims, normalises or case-folds the token. Instances are immutable and thread-safe.
 */
public final class HeaderCredentials {
  public static final String AUTHORIZATION = "Authorization";
  private static final String BEARER_LOWER = "bearer";

  /** Where a credential came from; only for logs. */
  public enum Source {
    AUTHORIZATION_BEARER,
    API_KEY_HEADER
  }

  /** The outcome of reading a request: a credential, or a reason there is none to verify. */
  public sealed interface Extraction permits Credential, Problem {}

  /** The one credential of a request. Its {@code toString()} never shows the token. */
  public record Credential(Source source, String token) implements Extraction {
    @Override
    public String toString() {
      return "Credential[" + source + ", redacted]";
    }
  }

  /** Why a request has no credential to verify. Every problem but {@link #MISSING} is an invalid request. */
  public enum Problem implements Extraction {
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

  /**
   * @param bearer read {@code Authorization: Bearer}
   * @param apiKeyHeader the API-key header's name, or null when that source is disabled
   * @param maxHeaderLength credential headers longer than this are rejected ({@link
   *     LatchkeyFilter#DEFAULT_MAX_HEADER_LENGTH} is the filter's default)
   */
  public HeaderCredentials(boolean bearer, String apiKeyHeader, int maxHeaderLength) {
    this.bearer = bearer;
    this.apiKeyHeader = apiKeyHeader;
    this.maxHeaderLength = maxHeaderLength;
  }

  public boolean readsBearer() {
    return bearer;
  }

  /** The API-key header's name, or null when that source is disabled. */
  public String apiKeyHeader() {
    return apiKeyHeader;
  }

  /**
   * Reads a request given the values of its {@code Authorization} header and of the API-key header,
   * each in order of appearance (null or empty when the header is absent).
   */
  public Extraction read(List<String> authorizationValues, List<String> apiKeyValues) {
    boolean hasAuthorization = authorizationValues != null && !authorizationValues.isEmpty();
    boolean hasApiKey = apiKeyValues != null && !apiKeyValues.isEmpty();
    return read(hasAuthorization ? authorizationValues.get(0) : null,
        hasAuthorization && authorizationValues.size() > 1,
        hasApiKey ? apiKeyValues.get(0) : null,
        hasApiKey && apiKeyValues.size() > 1);
  }

  /**
   * The rules, given the first value of each header (null when absent) and whether it had more
   * than one. A source that is disabled is ignored whatever its values.
   */
  Extraction read(String authorization, boolean moreAuthorization, String apiKey, boolean moreApiKeys) {
    String bearerToken = null;
    if (bearer && authorization != null) {
      if (moreAuthorization) {
        return Problem.DUPLICATE_AUTHORIZATION_HEADER;
      }
      int start = bearerTokenStart(authorization);
      if (start >= 0) {
        if (authorization.length() > maxHeaderLength) {
          return Problem.HEADER_TOO_LONG;
        }
        bearerToken = authorization.substring(start);
      }
    }
    if (apiKeyHeader != null && apiKey != null) {
      if (moreApiKeys) {
        return Problem.DUPLICATE_API_KEY_HEADER;
      }
      if (bearerToken != null) {
        return Problem.TWO_CREDENTIALS;
      }
      if (apiKey.length() > maxHeaderLength) {
        return Problem.HEADER_TOO_LONG;
      }
      return new Credential(Source.API_KEY_HEADER, apiKey);
    }
    return bearerToken == null ? Problem.MISSING : new Credential(Source.AUTHORIZATION_BEARER, bearerToken);
  }

  /**
   * Where the token starts in an {@code Authorization} value, or -1 if the scheme is not Bearer.
   * {@code "Bearer"} alone gives an empty token (rejected by the verifier). A tab after the scheme
   * is not a legal separator but still marks a bearer attempt: it is left in the token, so the
   * verifier rejects it rather than the request passing as "no credential".
   */
  public static int bearerTokenStart(String value) {
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

  @Override
  public String toString() {
    return "HeaderCredentials[bearer=" + bearer + ", apiKeyHeader=" + (apiKeyHeader == null ? "none" : apiKeyHeader)
        + ", maxHeaderLength=" + maxHeaderLength + "]";
  }
}
