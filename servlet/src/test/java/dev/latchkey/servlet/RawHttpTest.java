package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests HttpClient will not send (duplicate headers, non-ASCII bytes, huge headers), written as
 * raw bytes to a socket. Filter configured with both sources: Authorization Bearer and X-Api-Key.
 */
class RawHttpTest {
  private static Fixture fixture;
  private static RecordingVerifier verifier;
  private static TestServer server;
  private static String token;
  private static String otherToken;

  @BeforeAll
  static void start() {
    fixture = new Fixture();
    verifier = new RecordingVerifier(fixture.latchkey.verifier());
    server = TestServer.start(LatchkeyFilter.builder(verifier).apiKeyHeader("X-Api-Key").build());
    token = fixture.serviceAccount("ci_bot", Set.of(), Set.of("deploy")).token();
    otherToken = fixture.serviceAccount(Set.of(), Set.of()).token();
  }

  @AfterAll
  static void stop() {
    server.close();
    fixture.close();
  }

  @BeforeEach
  void reset() {
    verifier.clear();
  }

  private static Reply send(String... headerLines) {
    return TestServer.raw(server.port(), "/", headerLines);
  }

  @Test
  void rawRequestWithOneValidTokenPasses() {
    Reply reply = send("Authorization: Bearer " + token);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.echoed()).containsEntry("principal", "acme/sa/ci_bot");
  }

  @Test
  void twoAuthorizationHeadersAreRejectedEvenWhenBothAreValid() {
    Expect.invalidToken(send("Authorization: Bearer " + token, "Authorization: Bearer " + otherToken), token, otherToken);
    Expect.invalidToken(send("Authorization: Bearer " + token, "Authorization: Bearer " + token), token);
    Expect.invalidToken(send("Authorization: Basic YTpi", "Authorization: Bearer " + token), token);
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void twoApiKeyHeadersAreRejected() {
    Expect.invalidToken(send("X-Api-Key: " + token, "x-api-key: " + token), token);
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void bearerTokenAndApiKeyHeaderTogetherAreRejected() {
    Expect.invalidToken(send("Authorization: Bearer " + token, "X-Api-Key: " + token), token);
    Expect.invalidToken(send("X-Api-Key: " + otherToken, "Authorization: bearer " + token), token, otherToken);
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void commaJoinedCredentialsInOneHeaderAreOneMalformedToken() {
    Expect.invalidToken(send("Authorization: Bearer " + token + ", Bearer " + otherToken), token, otherToken);
    assertThat(verifier.presented()).containsExactly(token + ", Bearer " + otherToken);
    assertThat(((Rejected) verifier.lastResult()).reason()).isEqualTo(RejectReason.MALFORMED);
  }

  @Test
  void nonAsciiBytesReachTheVerifierUnchangedAndAreRejected() {
    // Jetty hands header bytes over as ISO-8859-1 characters, one per byte.
    byte[] utf8 = ("Authorization: Bearer " + token + "\u00e9").getBytes(StandardCharsets.UTF_8);
    Reply reply = TestServer.raw(server.port(), "/", List.of(utf8));
    Expect.invalidToken(reply, token);
    assertThat(verifier.presented()).containsExactly(token + "\u00c3\u00a9");
    assertThat(((Rejected) verifier.lastResult()).reason()).isEqualTo(RejectReason.MALFORMED);

    byte[] latin1 = ("X-Api-Key: \u00ff\u00fe" + token).getBytes(StandardCharsets.ISO_8859_1);
    Expect.invalidToken(TestServer.raw(server.port(), "/", List.of(latin1)), token);
    assertThat(verifier.presented()).last().isEqualTo("\u00ff\u00fe" + token);
  }

  @Test
  void nonAsciiSchemeIsNotBearer() {
    // U+212A KELVIN SIGN and friends must not case-fold into "bearer"; a byte 0xC2 is not 'B'.
    byte[] line = ("Authorization: \u00c2earer " + token).getBytes(StandardCharsets.ISO_8859_1);
    Expect.missing(TestServer.raw(server.port(), "/", List.of(line)));
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void controlCharactersAreRefusedByJettyWithoutEchoOrServerError() {
    Reply reply = TestServer.raw(server.port(), "/",
        List.of(("Authorization: Bearer " + token + "\u0000").getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(reply.status()).isEqualTo(400);
    Expect.notEchoed(reply, token);
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void header64KiBOnJettyDefaultsIsRefusedByJettyWith431() {
    String huge = "Bearer " + "a".repeat(64 * 1024) + token;
    Reply reply = TestServer.raw(server.port(), "/", "Authorization: " + huge);

    // Jetty's 8 KiB request-header limit answers before any filter runs.
    assertThat(reply).isNotNull();
    assertThat(reply.status()).isEqualTo(431);
    Expect.notEchoed(reply, token);
    assertThat(reply.everything()).doesNotContain("aaaaaaaaaaaaaaaa");
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void header64KiBThatReachesTheFilterIsRejectedWithoutCallingTheVerifier() {
    String huge = "Bearer " + "a".repeat(64 * 1024) + token;
    Reply reply = TestServer.raw(server.largeHeaderPort(), "/", "Authorization: " + huge);
    Expect.invalidToken(reply, token);
    assertThat(reply.everything()).doesNotContain("aaaaaaaaaaaaaaaa");

    Reply apiKey = TestServer.raw(server.largeHeaderPort(), "/", "X-Api-Key: " + "b".repeat(64 * 1024));
    Expect.invalidToken(apiKey);
    assertThat(apiKey.everything()).doesNotContain("bbbbbbbbbbbbbbbb");
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void capIsInclusive() {
    int max = LatchkeyFilter.DEFAULT_MAX_HEADER_LENGTH;
    String atCap = "Bearer " + " ".repeat(max - "Bearer ".length() - token.length()) + token;
    assertThat(atCap).hasSize(max);

    assertThat(TestServer.raw(server.largeHeaderPort(), "/", "Authorization: " + atCap).status()).isEqualTo(200);
    assertThat(verifier.presented()).containsExactly(token);

    Expect.invalidToken(TestServer.raw(server.largeHeaderPort(), "/", "Authorization: " + atCap + "x"), token);
    assertThat(verifier.calls()).isEqualTo(1);
  }
}
