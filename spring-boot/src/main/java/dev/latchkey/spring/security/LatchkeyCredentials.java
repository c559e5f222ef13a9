package dev.latchkey.spring.security;

import dev.latchkey.servlet.HeaderCredentials;
import dev.latchkey.servlet.HeaderCredentials.Credential;
import dev.latchkey.servlet.HeaderCredentials.Extraction;
import dev.latchkey.servlet.HeaderCredentials.Problem;
import java.util.List;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * What the servlet and reactive converters share: the credential-header rules of {@link
 * HeaderCredentials} (those of Latchkey's servlet filter), and the one answer for an unusable
 * request. The answer's description is fixed: it never echoes the token or says what was wrong.
 */
final class LatchkeyCredentials {
  /** The error description of every 401 {@code invalid_token}. */
  static final String INVALID = "The access token is invalid";

  private LatchkeyCredentials() {}

  /** Null when the request has no credential; throws for an ambiguous or oversized one. */
  static LatchkeyTokenRequest read(HeaderCredentials headers, List<String> authorization, List<String> apiKey,
      dev.latchkey.RequestContext context) {
    Extraction e = headers.read(authorization, apiKey);
    if (e instanceof Credential c) {
      return new LatchkeyTokenRequest(c.token(), c.source(), context);
    }
    if (e == Problem.MISSING) {
      return null;
    }
    throw invalid();
  }

  static InvalidBearerTokenException invalid() {
    return new InvalidBearerTokenException(INVALID);
  }

  /** True when the request carries something in a credential header this reads (valid or not). */
  static boolean present(HeaderCredentials headers, List<String> authorization, List<String> apiKey) {
    return headers.read(authorization, apiKey) != Problem.MISSING;
  }
}
