package dev.latchkey.spring.mvc;

import static dev.latchkey.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.spring.ApplicationTestProperties;
import dev.latchkey.spring.Http;
import dev.latchkey.spring.RateLimitedAnswers;
import dev.latchkey.spring.Tokens;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring MVC application on H2, driven over real HTTP: 401/403/200, method security, the API-key
 * header, revocation, metrics, health and the masking of the peppers in Actuator; the management API
 * mounted by the starter at /latchkey, used by a signed-in user of the application.
 */
@SpringBootTest(classes = MvcApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.datasource.url=jdbc:h2:mem:latchkey_mvc;DB_CLOSE_DELAY=-1",
    "latchkey.token-prefix=acme",
    "latchkey.peppers-env=TEST_LATCHKEY_PEPPERS",
    "latchkey.web.enabled=true"})
@ApplicationTestProperties
class MvcH2ApplicationTest {
  @DynamicPropertySource
  static void peppers(DynamicPropertyRegistry registry) {
    // stands in for an environment variable: latchkey.peppers-env names it
    registry.add("TEST_LATCHKEY_PEPPERS", () -> Tokens.PEPPERS);
  }

  @LocalServerPort
  int port;

  @Autowired
  Latchkey latchkey;

  @Autowired
  TokenStore store;

  Http http;
  IssuedToken deployer;
  IssuedToken reader;
  IssuedToken admin;

  @BeforeEach
  void tokens() {
    http = new Http(port);
    deployer = Tokens.issue(latchkey, Set.of("deploy", "read"), Set.of());
    reader = Tokens.issue(latchkey, Set.of("read"), Set.of());
    admin = Tokens.issue(latchkey, Set.of(), Set.of("admin"));
  }

  @Test
  void theStoreIsJdbcOnTheApplicationsDataSource() {
    assertThat(store).isInstanceOf(JdbcTokenStore.class);
    assertThat(deployer.value().reveal()).startsWith("acme_sat_");
  }

  @Test
  void aValidTokenAuthenticatesAndThePrincipalIsTheVerifiedLatchkeyPrincipal() {
    HttpResponse<String> r = http.get("/whoami", "Authorization", bearer(deployer.value().reveal()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(deployer.ref().apiKey().owner().toString());
    assertNoSession(r);
  }

  @Test
  void theApiKeyHeaderAndAnyCaseOfBearerWork() {
    assertThat(http.get("/whoami", "X-Api-Key", reader.value().reveal()).statusCode()).isEqualTo(200);
    assertThat(http.get("/whoami", "Authorization", "bEaReR " + reader.value().reveal()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aTokenOverItsRateLimitIsA429WithRetryAfterNotA401() {
    IssuedToken limited = Tokens.issue(latchkey, Set.of("read"), Set.of());
    latchkey.manager().editToken(Actor.system(), limited.ref(),
        dev.latchkey.TokenEdit.none().rateLimit(dev.latchkey.RateLimit.parse("1/1h")));
    assertThat(http.get("/whoami", "Authorization", bearer(limited.value().reveal())).statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.get("/whoami", "Authorization", bearer(limited.value().reveal()));
    RateLimitedAnswers.assertRateLimited(r, "\"token\";q=1;w=3600", 3600, limited.value().reveal());
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(3000L);
    HttpResponse<String> counted = http.get("/actuator/metrics/latchkey.verify?tag=outcome:rate_limited");
    assertThat(counted.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<Double>read(counted.body(), "$.measurements[0].value"))
        .as("over-limit answers are counted as their own outcome").isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void noTokenIsA401BearerChallengeWithoutAnError() {
    HttpResponse<String> r = http.get("/whoami");
    assertThat(r.statusCode()).isEqualTo(401);
    // Spring Security 7 adds RFC 9728's resource_metadata to the challenge; no error for a missing token
    String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(challenge).startsWith("Bearer").doesNotContain("error=");
    assertNoSession(r);
  }

  @Test
  void aBadTokenIsA401InvalidTokenThatNeverEchoesTheToken() {
    String wrong = deployer.value().reveal();
    wrong = wrong.substring(0, wrong.length() - 8) + "AAAAAAAA";
    for (String presented : List.of(wrong, "acme_sat_garbage", "")) {
      HttpResponse<String> r = http.get("/whoami", "Authorization", bearer(presented));
      assertThat(r.statusCode()).as(presented).isEqualTo(401);
      String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
      assertThat(challenge).contains("error=\"invalid_token\"");
      if (!presented.isEmpty()) {
        assertThat(challenge + r.body()).doesNotContain(presented);
      }
      assertNoSession(r);
    }
  }

  @Test
  void twoCredentialsAtOnceAreInvalidEvenIfBothAreValid() {
    HttpResponse<String> r = http.get("/whoami", "Authorization", bearer(reader.value().reveal()),
        "X-Api-Key", reader.value().reveal());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
  }

  @Test
  void methodSecurityUsesThePermissionsAsAuthorities() {
    HttpResponse<String> ok = http.post("/deploy", "v42", "Authorization", bearer(deployer.value().reveal()));
    assertThat(ok.statusCode()).as("POST with a token needs no CSRF token").isEqualTo(200);
    assertThat(ok.body()).isEqualTo("deploying v42 as " + deployer.ref().apiKey().owner());

    HttpResponse<String> denied = http.post("/deploy", "v42", "Authorization", bearer(reader.value().reveal()));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"");
    assertNoSession(denied);
  }

  @Test
  void rolesAreAuthoritiesWithTheRolePrefix() {
    assertThat(http.get("/admin/stats", "Authorization", bearer(admin.value().reveal())).statusCode())
        .isEqualTo(200);
    HttpResponse<String> r = http.get("/admin/stats", "Authorization", bearer(deployer.value().reveal()));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
  }

  @Test
  void aRevocationThroughTheManagementApiReachesTheRunningAppAtOnce() {
    String token = reader.value().reveal();
    assertThat(http.get("/whoami", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    latchkey.manager().revokeToken(Actor.system(), reader.ref());
    assertThat(http.get("/whoami", "Authorization", bearer(token)).statusCode()).isEqualTo(401);
  }

  @Test
  void verificationsAreCountedAtActuatorMetrics() {
    http.get("/whoami", "Authorization", bearer(reader.value().reveal()));
    http.get("/whoami", "Authorization", bearer("acme_sat_nope"));

    HttpResponse<String> all = http.get("/actuator/metrics/latchkey.verify");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<Double>read(all.body(), "$.measurements[0].value")).isGreaterThanOrEqualTo(2.0);
    List<String> outcomes = JsonPath.read(all.body(), "$.availableTags[?(@.tag=='outcome')].values[*]");
    assertThat(outcomes).contains("valid", "rejected");

    HttpResponse<String> malformed = http.get("/actuator/metrics/latchkey.verify?tag=reason:malformed");
    assertThat(JsonPath.<Double>read(malformed.body(), "$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);

    for (String meter : List.of("latchkey.cache.gets", "latchkey.store.lookup", "latchkey.changefeed.lag",
        "latchkey.changefeed.polls", "latchkey.lastused.pending", "latchkey.store.errors")) {
      assertThat(http.get("/actuator/metrics/" + meter).statusCode()).as(meter).isEqualTo(200);
    }
    // no token, lookup id or principal in any tag value
    String lookupId = reader.value().reveal().split("_")[2];
    for (String meter : List.of("latchkey.verify", "latchkey.cache.gets")) {
      String body = http.get("/actuator/metrics/" + meter).body();
      assertThat(body).doesNotContain(lookupId).doesNotContain("acme/");
    }
  }

  @Test
  void healthIsUpWithStoreFeedAndPeppersAndNoKeyMaterial() {
    HttpResponse<String> r = http.get("/actuator/health");
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> latchkeyHealth = JsonPath.read(r.body(), "$.components.latchkey");
    assertThat(latchkeyHealth.get("status")).isEqualTo("UP");
    Map<String, Object> details = JsonPath.read(r.body(), "$.components.latchkey.details");
    assertThat(details).containsEntry("store", "reachable").containsEntry("changeFeed", "fresh")
        .containsEntry("peppers", "loaded");
    assertThat(r.body()).doesNotContain(keyMaterial());
  }

  @Test
  void actuatorNeverShowsThePeppersEvenWithShowValuesAlways() {
    for (String endpoint : List.of("/actuator/env", "/actuator/configprops")) {
      HttpResponse<String> r = http.get(endpoint);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).as(endpoint).doesNotContain(keyMaterial()).contains("******");
    }
    // show-values=always really shows other values (so the check above is not vacuous)
    assertThat(http.get("/actuator/env").body()).contains("jdbc:h2:mem:latchkey_mvc");
    assertThat(http.get("/actuator/env/TEST_LATCHKEY_PEPPERS").body()).doesNotContain(keyMaterial());
  }

  /** The base64 key of the test keyset, as it would appear if anything leaked it. */
  private static String keyMaterial() {
    return Tokens.PEPPERS.substring(Tokens.PEPPERS.indexOf(':') + 1);
  }

  /**
   * The starter mounts the management API at /latchkey: the application's signed-in user (HTTP Basic
   * here, mapped by the application's LatchkeyWebUserMapping) creates a key and a token over HTTP,
   * passing the module's own CSRF check (Spring's is off on that path), and the token then
   * authenticates against the application's own endpoints.
   */
  @Test
  void aSignedInUserIssuesATokenThroughTheMountedManagementApi() throws Exception {
    try {
      latchkey.manager().createUser(Actor.system(), dev.latchkey.NewUser.of("acme", "carol", "Carol"));
    } catch (dev.latchkey.ConflictException alreadyThere) {
      // made by an earlier run in this context
    }
    java.net.http.HttpClient browser = java.net.http.HttpClient.newBuilder()
        .cookieHandler(new java.net.CookieManager()).build();
    String base = "http://localhost:" + port + "/latchkey/api/v1/";
    String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("carol:carol-password".getBytes());

    assertThat(http.get("/latchkey/api/v1/session").statusCode()).as("no anonymous access").isEqualTo(401);
    HttpResponse<String> session = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "session"))
        .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
    assertThat(JsonPath.<String>read(session.body(), "$.credential")).isEqualTo("session");
    assertThat(JsonPath.<String>read(session.body(), "$.principal.ref")).isEqualTo("acme/user/carol");
    String csrf = JsonPath.read(session.body(), "$.csrfToken");
    String keyId = "k" + System.nanoTime();
    String keys = base + "accounts/acme/users/carol/api-keys";

    HttpResponse<String> noCsrf = browser.send(json(keys, "{\"id\":\"" + keyId + "\",\"name\":\"Deploys\"}")
        .header("Authorization", basic).header("Origin", "http://localhost:" + port).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noCsrf.statusCode()).as("the module's own CSRF check guards the path").isEqualTo(403);
    assertThat(noCsrf.body()).contains("csrf-rejected");

    HttpResponse<String> key = browser.send(json(keys, "{\"id\":\"" + keyId + "\",\"name\":\"Deploys\"}")
        .header("Authorization", basic).header("Origin", "http://localhost:" + port).header("X-CSRF-Token", csrf).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
    HttpResponse<String> issued = browser.send(json(keys + "/" + keyId + "/tokens", "{\"id\":\"t\",\"name\":\"CI\"}")
        .header("Authorization", basic).header("Origin", "http://localhost:" + port).header("X-CSRF-Token", csrf).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    assertThat(issued.headers().firstValue("Cache-Control")).contains("no-store");
    String value = JsonPath.read(issued.body(), "$.value");
    assertThat(value).startsWith("acme_pat_");

    HttpResponse<String> whoami = http.get("/whoami", "Authorization", bearer(value));
    assertThat(whoami.statusCode()).isEqualTo(200);
    assertThat(whoami.body()).isEqualTo("acme/user/carol");
    HttpResponse<String> asToken = http.get("/latchkey/api/v1/session", "Authorization", bearer(value));
    assertThat(asToken.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<String>read(asToken.body(), "$.credential")).as("a token is a bearer caller").isEqualTo("bearer");
    assertThat(asToken.body()).doesNotContain(value);
  }

  private static java.net.http.HttpRequest.Builder json(String uri, String body) {
    return java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
  }

  private static void assertNoSession(HttpResponse<String> r) {
    assertThat(r.headers().allValues("Set-Cookie")).as("no session cookie").isEmpty();
  }

  @Test
  void anAddressAllowListIsCheckedAgainstThePeerAddress() {
    // the test client connects over loopback, IPv4 or IPv6 as "localhost" resolves here
    IssuedToken local = Tokens.issue(latchkey, Set.of("read"), Set.of(),
        dev.latchkey.Restriction.from("127.0.0.0/8", "::1/128"));
    IssuedToken elsewhere = Tokens.issue(latchkey, Set.of("read"), Set.of(),
        dev.latchkey.Restriction.from("10.0.0.0/8"));
    assertThat(http.get("/whoami", "Authorization", bearer(local.value().reveal())).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = http.get("/whoami", "Authorization", bearer(elsewhere.value().reveal()));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
  }
}
