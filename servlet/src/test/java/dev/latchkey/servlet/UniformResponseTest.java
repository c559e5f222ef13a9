package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenVerifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a presented credential can fail gives the same bytes on the wire (but for the Date
 * header): each {@link RejectReason}, a verifier that breaks its contract, and the filter's own
 * refusals. The verifier here answers with the reason named in the token, so every reason is
 * covered deterministically.
 */
class UniformResponseTest {
  private static final String SECRET_LOOKING = "acme_sat_0123456789abcdef_";

  private static TestServer server;

  @BeforeAll
  static void start() {
    TokenVerifier byName = presented -> {
      String text = presented.toString();
      if (text.endsWith("THROW")) {
        throw new IllegalStateException("verifier bug; token " + text);
      }
      return Rejected.of(RejectReason.valueOf(text.substring(SECRET_LOOKING.length())));
    };
    server = TestServer.start(LatchkeyFilter.builder(byName).apiKeyHeader("X-Api-Key").build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String withoutDate(Reply reply) {
    return reply.raw().replaceAll("(?im)^date:[^\r\n]*\r\n", "");
  }

  @Test
  void allFailuresLookTheSame() {
    List<Reply> replies = new ArrayList<>();
    for (RejectReason reason : RejectReason.values()) {
      replies.add(TestServer.raw(server.port(), "/", "Authorization: Bearer " + SECRET_LOOKING + reason));
      replies.add(TestServer.raw(server.port(), "/", "X-Api-Key: " + SECRET_LOOKING + reason));
    }
    replies.add(TestServer.raw(server.port(), "/", "Authorization: Bearer " + SECRET_LOOKING + "THROW"));
    replies.add(TestServer.raw(server.port(), "/", "Authorization: Bearer a", "Authorization: Bearer b"));
    replies.add(TestServer.raw(server.port(), "/", "X-Api-Key: a", "X-Api-Key: b"));
    replies.add(TestServer.raw(server.port(), "/", "Authorization: Bearer a", "X-Api-Key: b"));
    replies.add(TestServer.raw(server.largeHeaderPort(), "/", "Authorization: Bearer " + "z".repeat(9000)));

    String first = withoutDate(replies.get(0));
    for (Reply reply : replies) {
      Expect.invalidToken(reply, SECRET_LOOKING);
      assertThat(withoutDate(reply)).isEqualTo(first);
    }
    assertThat(first).doesNotContain("EXPIRED").doesNotContain("MALFORMED").doesNotContain("STORE_ERROR");
  }

  @Test
  void missingIsTheOnlyOtherAnswer() {
    Reply missing = TestServer.raw(server.port(), "/");
    Expect.missing(missing);
    assertThat(withoutDate(missing)).isEqualTo(withoutDate(TestServer.raw(server.port(), "/", "Authorization: Basic YTpi")));
  }
}
