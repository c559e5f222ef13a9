package dev.latchkey.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.ConflictException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Scope;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;

/** The example as the README shows it, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "example.demo-token=false", "spring.security.user.password=example-password"})
class ExampleApplicationTest {
  @DynamicPropertySource
  static void peppers(DynamicPropertyRegistry registry) {
    String peppers = PepperKeyset.generate(new SecureRandom()).export();
    registry.add("latchkey.peppers", () -> peppers);
  }

  @LocalServerPort
  int port;

  @Autowired
  Latchkey latchkey;

  @Autowired
  ApplicationContext context;

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void theApiTakesTokensThePagesTakeFormLoginAndMetricsNeedOps() throws Exception {
    Actor system = Actor.system();
    acme();
    var ops = latchkey.manager().createServiceAccount(system,
        NewServiceAccount.of(Scope.account("acme"), "ops_bot", "Ops").withPermissions(Set.of("ops", "deploy")));
    var reader = latchkey.manager().createServiceAccount(system,
        NewServiceAccount.of(Scope.account("acme"), "reader", "Reader").withPermissions(Set.of("read")));
    String opsToken = issue(ops.ref());
    String readerToken = issue(reader.ref());

    assertThat(get("/api/hello", "Authorization", "Bearer " + readerToken).body()).isEqualTo("hello, acme/sa/reader\n");
    assertThat(get("/api/hello", "X-Api-Key", readerToken).statusCode()).isEqualTo(200);
    assertThat(get("/api/hello").statusCode()).isEqualTo(401);

    HttpResponse<String> deploy = send(HttpRequest.newBuilder(uri("/api/deploy"))
        .header("Authorization", "Bearer " + opsToken).POST(HttpRequest.BodyPublishers.ofString("v1.2")));
    assertThat(deploy.body()).isEqualTo("acme/sa/ops_bot deploys v1.2\n");
    HttpResponse<String> denied = send(HttpRequest.newBuilder(uri("/api/deploy"))
        .header("Authorization", "Bearer " + readerToken).POST(HttpRequest.BodyPublishers.ofString("v1.2")));
    assertThat(denied.statusCode()).isEqualTo(403);

    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).as("the web chain sends people to its login form").isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");

    assertThat(get("/actuator/metrics/latchkey.verify", "Authorization", "Bearer " + readerToken).statusCode())
        .isEqualTo(403);
    HttpResponse<String> metrics = get("/actuator/metrics/latchkey.verify", "Authorization", "Bearer " + opsToken);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("\"name\":\"latchkey.verify\"");
    assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
    assertThat(get("/actuator/health", "Authorization", "Bearer " + opsToken).body())
        .contains("\"latchkey\"").contains("\"store\":\"reachable\"");
  }

  /**
   * Jackson 3 does not clash: the application's own JSON endpoint is written by Spring MVC with the
   * application's Jackson 3 mapper, and Latchkey's management API beside it (mounted by the starter)
   * writes its JSON itself: there is no Jackson 2 databind on the class path at all, and both work in
   * one application. The form-login user signs in once and uses the API with that session.
   */
  @Test
  void theAppsJackson3JsonAndTheLatchkeyApiWorkInOneApplication() throws Exception {
    assertThat(context.getBean(tools.jackson.databind.json.JsonMapper.class)).as("the application's JSON: Jackson 3").isNotNull();
    assertThat(ClassUtils.isPresent("com.fasterxml.jackson.databind.ObjectMapper", getClass().getClassLoader()))
        .as("no Jackson 2 databind anywhere: latchkey-web needs none").isFalse();
    acme();
    try {
      latchkey.manager().createUser(Actor.system(),
          NewUser.of("acme", "admin", "Admin").withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE)));
    } catch (ConflictException alreadyThere) {
      // made by another test of this context
    }

    // The person signs in with the web chain's form login (Spring's CSRF token on the login form) ...
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    String loginPage = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher csrfField = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginPage);
    assertThat(csrfField.find()).as(loginPage).isTrue();
    HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=example-password&_csrf="
            + URLEncoder.encode(csrfField.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");

    // ... and the management API at /latchkey knows them from that session.
    assertThat(get("/latchkey/api/v1/session").statusCode()).as("no anonymous access").isEqualTo(401);
    HttpResponse<String> session = browser.send(HttpRequest.newBuilder(uri("/latchkey/api/v1/session")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
    assertThat(session.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(session.body()).contains("\"credential\":\"session\"").contains("\"ref\":\"acme/user/admin\"");
    Matcher csrf = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(session.body());
    assertThat(csrf.find()).isTrue();

    String keys = "/latchkey/api/v1/accounts/acme/users/admin/api-keys";
    String keyId = "k" + System.nanoTime();
    HttpResponse<String> key = browser.send(console(keys, "{\"id\":\"" + keyId + "\",\"name\":\"Laptop\"}", csrf.group(1)),
        HttpResponse.BodyHandlers.ofString());
    assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
    HttpResponse<String> issued = browser.send(console(keys + "/" + keyId + "/tokens",
        "{\"id\":\"t\",\"name\":\"Scripts\",\"expiration\":{\"after\":\"P30D\"}}", csrf.group(1)),
        HttpResponse.BodyHandlers.ofString());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    Matcher value = Pattern.compile("\"value\":\"(acme_pat_[^\"]+)\"").matcher(issued.body());
    assertThat(value.find()).as(issued.body()).isTrue();

    // The new token calls the application's own JSON endpoint, serialized by Jackson 3.
    HttpResponse<String> status = get("/api/status", "Authorization", "Bearer " + value.group(1));
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    var json = context.getBean(tools.jackson.databind.json.JsonMapper.class).readTree(status.body());
    assertThat(json.get("caller").asString()).isEqualTo("acme/user/admin");
    assertThat(json.get("time").isString()).as("java.time as ISO-8601 text, Jackson 3's default").isTrue();
  }

  private HttpRequest console(String path, String json, String csrfToken) {
    return HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .header("Origin", "http://localhost:" + port)
        .header("X-CSRF-Token", csrfToken)
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private void acme() {
    try {
      latchkey.manager().createAccount(Actor.system(), "acme", "Acme Inc.");
    } catch (ConflictException alreadyThere) {
      // made by another test of this context
    }
  }

  private String issue(dev.latchkey.PrincipalRef owner) {
    var key = latchkey.manager().createApiKey(Actor.system(), NewApiKey.of(owner, "key", "Key"));
    IssuedToken t = latchkey.manager().issueToken(Actor.system(), NewToken.of(key.ref(), "t", "T"));
    return t.value().reveal();
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
