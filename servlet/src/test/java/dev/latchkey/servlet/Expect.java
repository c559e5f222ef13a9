package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

/** The response contract, asserted the same way everywhere. */
final class Expect {
  static final String INVALID_BODY = "{\"error\":\"invalid_token\"}";
  static final String MISSING_BODY = "{\"error\":\"unauthorized\"}";
  static final String FORBIDDEN_BODY = "{\"error\":\"insufficient_scope\"}";

  private Expect() {}

  static void invalidToken(Reply reply, String... tokens) {
    assertThat(reply.status()).as("status").isEqualTo(401);
    assertThat(reply.headerValues("WWW-Authenticate")).containsExactly("Bearer error=\"invalid_token\"");
    common(reply, INVALID_BODY, tokens);
  }

  static void missing(Reply reply) {
    assertThat(reply.status()).as("status").isEqualTo(401);
    assertThat(reply.headerValues("WWW-Authenticate")).containsExactly("Bearer");
    common(reply, MISSING_BODY);
  }

  static void forbidden(Reply reply, String... tokens) {
    assertThat(reply.status()).as("status").isEqualTo(403);
    assertThat(reply.headerValues("WWW-Authenticate")).containsExactly("Bearer error=\"insufficient_scope\"");
    common(reply, FORBIDDEN_BODY, tokens);
  }

  static void common(Reply reply, String body, String... tokens) {
    assertThat(reply.header("Cache-Control")).contains("no-store");
    assertThat(reply.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    assertThat(reply.bodyText()).isEqualTo(body);
    notEchoed(reply, tokens);
  }

  /** Neither the token nor its secret part appears anywhere in what the client received. */
  static void notEchoed(Reply reply, String... tokens) {
    for (String token : tokens) {
      assertThat(reply.everything()).doesNotContain(token);
      if (token.length() > 49) {
        assertThat(reply.everything()).doesNotContain(token.substring(token.length() - 49));
      }
    }
  }
}
