package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.PrincipalRef;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CSRF rules for session callers (README "Browser safety"): an unsafe request must come from this
 * origin (Origin, else Sec-Fetch-Site) and carry the session's token; either refusal is a 403
 * {@code csrf-rejected} that changes nothing. Bearer callers and safe methods are not checked.
 */
class CsrfTest extends WebTest {
  private static final String KEYS = "accounts/acme/users/alice/api-keys";
  private static final Map<String, String> KEY = Map.of("id", "k", "name", "K");

  private void assertRefused(Reply reply, String detail) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
    assertThat(reply.problemType()).isEqualTo("csrf-rejected");
    assertThat(reply.json().get("detail").asString()).contains(detail);
    assertThat(world.manager.listApiKeys(Actor.system(), PrincipalRef.user("acme", "alice"),
        dev.latchkey.PageRequest.first()).items()).as("nothing was written").isEmpty();
  }

  @Test
  void withoutTheTokenIsRefused() {
    Client alice = as(World.ALICE);
    assertRefused(alice.call("POST", KEYS).json(KEY).noCsrf().send(), "X-CSRF-Token");
  }

  @Test
  void aWrongTokenIsRefused() {
    Client alice = as(World.ALICE);
    assertRefused(alice.call("POST", KEYS).json(KEY).header(Csrf.HEADER, "x".repeat(43)).send(), "not this session's");
  }

  @Test
  void anotherSessionsTokenIsRefused() {
    Client alice = as(World.ALICE);
    Client bob = as(World.BOB);
    assertRefused(alice.call("POST", KEYS).json(KEY).header(Csrf.HEADER, bob.csrfToken()).send(), "not this session's");
  }

  @Test
  void anotherOriginIsRefusedEvenWithTheToken() {
    Client alice = as(World.ALICE);
    assertRefused(alice.call("POST", KEYS).json(KEY).header("Origin", "https://evil.example").send(), "another origin");
    assertRefused(alice.call("POST", KEYS).json(KEY).header("Origin", "null").send(), "another origin");
    assertRefused(alice.call("POST", KEYS).json(KEY).header("Origin", server.origin().replace("127.0.0.1", "localhost")).send(),
        "another origin");
    assertRefused(alice.call("DELETE", KEYS + "/k").header("Origin", "http://127.0.0.1:1").send(), "another origin");
  }

  @Test
  void withoutOriginSecFetchSiteDecides() {
    Client alice = as(World.ALICE);
    assertRefused(alice.call("POST", KEYS).json(KEY).noOrigin().header("Sec-Fetch-Site", "cross-site").send(), "another site");
    assertRefused(alice.call("POST", KEYS).json(KEY).noOrigin().header("Sec-Fetch-Site", "same-site").send(), "another site");
    assertThat(alice.call("POST", KEYS).json(KEY).noOrigin().header("Sec-Fetch-Site", "same-origin").send().status())
        .isEqualTo(201);
  }

  @Test
  void sameOriginWithTheTokenIsAccepted() {
    Client alice = as(World.ALICE);
    assertThat(alice.call("POST", KEYS).json(KEY).send().status()).isEqualTo(201);
    assertThat(alice.call("PATCH", KEYS + "/k").json(Map.of("name", "N")).send().status()).isEqualTo(200);
    assertThat(alice.call("DELETE", KEYS + "/k").send().status()).isEqualTo(204);
  }

  @Test
  void noOriginHeadersAtAllStillNeedsTheToken() {
    Client alice = as(World.ALICE);
    assertRefused(alice.call("POST", KEYS).json(KEY).noOrigin().noCsrf().send(), "X-CSRF-Token");
    assertThat(alice.call("POST", KEYS).json(KEY).noOrigin().send().status()).isEqualTo(201);
  }

  @Test
  void safeMethodsAreNotChecked() {
    Client alice = as(World.ALICE);
    assertThat(alice.call("GET", KEYS).header("Origin", "https://evil.example").send().status()).isEqualTo(200);
  }

  @Test
  void bearerCallersAreNotChecked() {
    ApiKeyRef key = PrincipalRef.user("acme", "alice").apiKey("automation");
    world.manager.createApiKey(Actor.system(), NewApiKey.of(key.owner(), "automation", "Automation"));
    String value = world.manager.issueToken(Actor.system(), NewToken.of(key, "t", "T")).value().reveal();
    Client script = bearer(value);
    Reply created = script.call("POST", KEYS).json(KEY).header("Origin", "https://evil.example").send();
    assertThat(created.status()).as("a browser never adds a bearer token to a cross-site request").isEqualTo(201);
  }

  @Test
  void anAllowedOriginIsAccepted() {
    world.close();
    world = new World(b -> {}, b -> b.allowedOrigin("https://admin.example.com"));
    server.use(world.servlet);
    Client alice = as(World.ALICE);
    assertThat(alice.call("POST", KEYS).json(KEY).header("Origin", "https://admin.example.com").send().status())
        .isEqualTo(201);
    assertThat(alice.call("POST", KEYS).json(Map.of("id", "k2", "name", "K2"))
        .header("Origin", "https://other.example.com").send().status()).isEqualTo(403);
  }
}
