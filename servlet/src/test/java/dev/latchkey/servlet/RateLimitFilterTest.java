package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKeyEdit;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.RateLimit;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate limits through the filter, in real Jetty over real HTTP, on the fixture's hand-moved clock. */
class RateLimitFilterTest {
  private static Fixture fixture;
  private static TestServer server;

  @BeforeAll
  static void start() {
    fixture = new Fixture();
    server = TestServer.start(LatchkeyFilter.builder(fixture.latchkey.verifier())
        .requirePermission("/deploy", "deploy").build());
  }

  @AfterAll
  static void stop() {
    server.close();
    fixture.close();
  }

  private static String token(String sa, RateLimit keyLimit, RateLimit tokenLimit) {
    var owner = fixture.admin.createServiceAccount(Fixture.SYSTEM,
        NewServiceAccount.of(Scope.account("acme"), sa, "Bot").withPermissions(Set.of("read"))).ref();
    NewApiKey key = NewApiKey.of(owner, "k", "K");
    fixture.admin.createApiKey(Fixture.SYSTEM, keyLimit == null ? key : key.withRateLimit(keyLimit));
    NewToken t = NewToken.of(owner.apiKey("k"), "t", "T");
    return fixture.admin.issueToken(Fixture.SYSTEM, tokenLimit == null ? t : t.withRateLimit(tokenLimit))
        .value().reveal();
  }

  @Test
  void overItsLimitATokenGets429WithRetryAfterAndTheDraftsHeaders() {
    String token = token("limited", null, new RateLimit(10, Duration.ofSeconds(1), 2));
    assertThat(server.bearer("/", token).status()).isEqualTo(200);
    assertThat(server.bearer("/", token).status()).isEqualTo(200);
    Reply refused = server.bearer("/", token);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).contains("1");
    assertThat(refused.header("RateLimit-Policy")).contains("\"token\";q=10;w=1");
    assertThat(refused.header("RateLimit")).contains("\"token\";r=0;t=1");
    assertThat(refused.header("Cache-Control")).contains("no-store");
    assertThat(refused.header("WWW-Authenticate")).isEmpty();
    assertThat(refused.bodyText()).isEqualTo(RateLimitResponse.BODY).doesNotContain(token);

    fixture.clock.advance(Duration.ofMillis(100)); // one request refilled (10 per second)
    assertThat(server.bearer("/", token).status()).isEqualTo(200);
    assertThat(server.bearer("/", token).status()).isEqualTo(429);
  }

  @Test
  void aKeysLimitIsNamedKeyAndComesBeforeThePermissionCheck() {
    String token = token("keyed", RateLimit.parse("1/1m"), null);
    assertThat(server.bearer("/deploy", token).status()).isEqualTo(403); // counted: the token verified
    Reply refused = server.bearer("/deploy", token);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).contains("60");
    assertThat(refused.header("RateLimit-Policy")).contains("\"key\";q=1;w=60");
    assertThat(refused.header("RateLimit")).contains("\"key\";r=0;t=60");
  }

  @Test
  void liftingTheLimitLetsTheTokenThroughAtOnceAndBadTokensStay401() {
    String token = token("lifted", RateLimit.parse("1/1h"), null);
    assertThat(server.bearer("/", token).status()).isEqualTo(200);
    assertThat(server.bearer("/", token).status()).isEqualTo(429);
    var owner = dev.latchkey.PrincipalRef.serviceAccount("acme", "lifted");
    fixture.admin.editApiKey(Fixture.SYSTEM, owner.apiKey("k"), ApiKeyEdit.none().noRateLimit());
    assertThat(server.bearer("/", token).status()).isEqualTo(200);
    fixture.admin.editToken(Fixture.SYSTEM, owner.apiKey("k").token("t"),
        TokenEdit.none().rateLimit(RateLimit.parse("1/1h")));
    assertThat(server.bearer("/", token).status()).isEqualTo(200);
    assertThat(server.bearer("/", token).status()).isEqualTo(429);
    String wrong = token.substring(0, token.length() - 4) + "AAAA";
    Expect.invalidToken(server.bearer("/", wrong));
  }
}
