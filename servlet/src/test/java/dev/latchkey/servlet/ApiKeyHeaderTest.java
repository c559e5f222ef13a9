package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The configurable header source, alone and next to Authorization: Bearer. */
class ApiKeyHeaderTest {
  private static Fixture fixture;
  private static RecordingVerifier verifier;
  private static TestServer both;
  private static TestServer headerOnly;
  private static String token;

  @BeforeAll
  static void start() {
    fixture = new Fixture();
    verifier = new RecordingVerifier(fixture.latchkey.verifier());
    both = TestServer.start(LatchkeyFilter.builder(verifier).apiKeyHeader("X-Api-Key").build());
    headerOnly = TestServer.start(LatchkeyFilter.builder(verifier).bearer(false).apiKeyHeader("X-Api-Key").build());
    token = fixture.serviceAccount("ci_bot", Set.of("deployer"), Set.of("deploy")).token();
  }

  @AfterAll
  static void stop() {
    both.close();
    headerOnly.close();
    fixture.close();
  }

  @Test
  void eitherSourceAuthenticates() {
    for (Reply reply : new Reply[] {both.get("/", "X-Api-Key", token), both.bearer("/", token)}) {
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.echoed())
          .containsEntry("principal", "acme/sa/ci_bot")
          .containsEntry("authType", "Bearer")
          .containsEntry("permission.deploy", "true");
    }
  }

  @Test
  void headerNameIsCaseInsensitive() {
    assertThat(both.get("/", "x-api-key", token).status()).isEqualTo(200);
    assertThat(both.get("/", "X-API-KEY", token).status()).isEqualTo(200);
  }

  @Test
  void bothSourcesAtOnceAreAmbiguous() {
    Expect.invalidToken(both.get("/", "Authorization", "Bearer " + token, "X-Api-Key", token), token);
  }

  @Test
  void aNonBearerAuthorizationHeaderDoesNotCompeteWithTheApiKeyHeader() {
    assertThat(both.get("/", "Authorization", "Basic YTpi", "X-Api-Key", token).status()).isEqualTo(200);
  }

  @Test
  void emptyApiKeyHeaderIsAnInvalidCredentialNotAMissingOne() {
    Expect.invalidToken(both.get("/", "X-Api-Key", ""));
  }

  @Test
  void headerOnlyConfigurationIgnoresAuthorization() {
    assertThat(headerOnly.get("/", "X-Api-Key", token).status()).isEqualTo(200);
    Expect.missing(headerOnly.bearer("/", token));
    // Authorization is not a source here, so it cannot make the request ambiguous either.
    assertThat(headerOnly.get("/", "Authorization", "Bearer x", "X-Api-Key", token).status()).isEqualTo(200);
  }

  @Test
  void wrongApiKeyIsTheSameInvalidTokenAnswer() {
    Expect.invalidToken(both.get("/", "X-Api-Key", token + "x"), token);
    Expect.invalidToken(both.get("/", "X-Api-Key", "Bearer " + token), token);
  }
}
