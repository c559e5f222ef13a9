package dev.latchkey.spring.mvc;

import static dev.latchkey.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.spring.Http;
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
 * header, revocation, metrics, health and the masking of the peppers in Actuator.
 */
@SpringBootTest(classes = MvcApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.datasource.url=jdbc:h2:mem:latchkey_mvc;DB_CLOSE_DELAY=-1",
    "latchkey.token-prefix=acme",
    "latchkey.peppers-env=TEST_LATCHKEY_PEPPERS",
    "latchkey.security.api-key-header=X-Api-Key",
    "management.endpoints.web.exposure.include=health,metrics,env,configprops",
    "management.endpoint.health.show-details=always",
    "management.endpoint.env.show-values=always",
    "management.endpoint.configprops.show-values=always"})
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

  private static void assertNoSession(HttpResponse<String> r) {
    assertThat(r.headers().allValues("Set-Cookie")).as("no session cookie").isEmpty();
  }
}
