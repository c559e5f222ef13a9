package dev.latchkey.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example as the README shows it, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "example.demo-token=false")
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

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void theApiTakesTokensThePagesTakeFormLoginAndMetricsNeedOps() throws Exception {
    Actor system = Actor.system();
    latchkey.manager().createAccount(system, "acme", "Acme Inc.");
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
