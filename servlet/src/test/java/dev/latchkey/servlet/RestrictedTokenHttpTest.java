package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.RateLimit;
import dev.latchkey.Restriction;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's "done when", through the filter in real Jetty: one token that may only {@code read},
 * only from {@code 10.0.0.0/8}, at most 10 requests per second, its owner holding more. The test
 * client connects from 127.0.0.1, configured as the trusted proxy, so {@code X-Forwarded-For} names
 * the client. All three limits at once, each with its own status code.
 */
class RestrictedTokenHttpTest {
  private static final String INSIDE = "10.1.2.3";
  private static final String OUTSIDE = "203.0.113.5";
  private static Fixture fixture;
  private static TestServer server;

  @BeforeAll
  static void start() {
    fixture = new Fixture();
    server = TestServer.start(LatchkeyFilter.builder(fixture.latchkey.verifier())
        .trustedProxies("127.0.0.1").requirePermission("/read", "read").requirePermission("/deploy", "deploy")
        .build());
  }

  @AfterAll
  static void stop() {
    server.close();
    fixture.close();
  }

  private static int status(String path, String token, String from) {
    return server.get(path, "Authorization", "Bearer " + token, "X-Forwarded-For", from).status();
  }

  @Test
  void readOnlyFromTenNetAtTenPerSecond() {
    var owner = fixture.admin.createServiceAccount(Fixture.SYSTEM, NewServiceAccount.of(Scope.account("acme"),
        "deployer", "Deployer").withPermissions(Set.of("read", "deploy"))).ref();
    var key = fixture.admin.createApiKey(Fixture.SYSTEM, NewApiKey.of(owner, "ci", "CI")).ref();
    var issued = fixture.admin.issueToken(Fixture.SYSTEM, NewToken.of(key, "reader", "Reader")
        .restrictedTo(Restriction.permissions("read").withAllowedAddresses("10.0.0.0/8"))
        .withRateLimit(new RateLimit(10, Duration.ofSeconds(1), 10)));
    String token = issued.value().reveal();
    String unrestricted = fixture.admin.issueToken(Fixture.SYSTEM, NewToken.of(key, "full", "Full"))
        .value().reveal();

    // the owner's other token may deploy from anywhere: what follows is the restricted token's doing
    assertThat(status("/deploy", unrestricted, OUTSIDE)).isEqualTo(200);

    assertThat(status("/read", token, INSIDE)).isEqualTo(200);
    assertThat(status("/deploy", token, INSIDE)).as("only read").isEqualTo(403);
    assertThat(status("/read", token, OUTSIDE)).as("only from 10.0.0.0/8").isEqualTo(401);
    // two verified requests so far (the 403 counted, the 401 did not: it is not a use); eight more pass
    for (int i = 0; i < 8; i++) {
      assertThat(status("/read", token, INSIDE)).as("request %d", i + 3).isEqualTo(200);
    }
    Reply refused = server.get("/read", "Authorization", "Bearer " + token, "X-Forwarded-For", INSIDE);
    assertThat(refused.status()).as("at most 10 per second").isEqualTo(429);
    assertThat(refused.header("Retry-After")).isNotEmpty();
    assertThat(refused.header("RateLimit-Policy")).contains("\"token\";q=10;w=1");

    fixture.clock.advance(Duration.ofSeconds(1));
    assertThat(status("/read", token, INSIDE)).as("a second later").isEqualTo(200);

    // narrowing takes effect at once: nothing left to read with
    fixture.admin.editToken(Fixture.SYSTEM, issued.ref(),
        TokenEdit.none().restriction(Restriction.NONE.withPermissions(Set.of()).withAllowedAddresses("10.0.0.0/8")));
    assertThat(status("/read", token, INSIDE)).isEqualTo(403);
    assertThat(status("/", token, INSIDE)).as("still a valid token, with no permission").isEqualTo(200);
  }
}
