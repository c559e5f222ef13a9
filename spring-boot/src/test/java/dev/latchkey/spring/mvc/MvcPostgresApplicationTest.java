package dev.latchkey.spring.mvc;

import static dev.latchkey.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.jdbc.Dialect;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.spring.ApplicationTestProperties;
import dev.latchkey.spring.Http;
import dev.latchkey.spring.TestPeppers;
import dev.latchkey.spring.Tokens;
import dev.latchkey.testsupport.SharedPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same application on an embedded PostgreSQL server, and a second application context (a second
 * node, its own port and cache) on the same database: a revocation made through the first node is
 * refused by the second within the staleness bound.
 */
@SpringBootTest(classes = MvcApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "latchkey.token-prefix=acme",
    "latchkey.staleness-bound=1s"})
@ApplicationTestProperties
class MvcPostgresApplicationTest implements TestPeppers {
  private static final String URL = SharedPostgres.freshDatabaseUrl();
  private static ConfigurableApplicationContext secondNode;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
  }

  @BeforeAll
  static void startSecondNode() {
    secondNode = new SpringApplicationBuilder(MvcApp.class).properties(
            "server.port=0", "spring.datasource.url=" + URL, "latchkey.peppers=" + Tokens.PEPPERS,
            "latchkey.token-prefix=acme", "latchkey.staleness-bound=1s")
        .run();
  }

  @AfterAll
  static void stopSecondNode() {
    secondNode.close();
  }

  @LocalServerPort
  int port;

  @Autowired
  Latchkey latchkey;

  @Autowired
  TokenStore store;

  @Test
  void theStoreIsJdbcOnPostgresql() {
    assertThat(store).isInstanceOf(JdbcTokenStore.class);
    assertThat(((JdbcTokenStore) store).dialect()).isEqualTo(Dialect.POSTGRESQL);
  }

  @Test
  void aTokenIssuedOnOneNodeVerifiesOnBoth() {
    IssuedToken t = Tokens.issue(latchkey, Set.of("deploy"), Set.of());
    Http first = new Http(port);
    Http second = new Http(secondPort());
    assertThat(first.post("/deploy", "x", "Authorization", bearer(t.value().reveal())).statusCode()).isEqualTo(200);
    assertThat(second.post("/deploy", "x", "Authorization", bearer(t.value().reveal())).statusCode()).isEqualTo(200);
    assertThat(second.get("/whoami").statusCode()).isEqualTo(401);
  }

  @Test
  void aRevocationOnOneNodeReachesTheOtherWithinTheStalenessBound() throws Exception {
    IssuedToken t = Tokens.issue(latchkey, Set.of("read"), Set.of());
    String token = t.value().reveal();
    Http first = new Http(port);
    Http second = new Http(secondPort());
    assertThat(second.get("/whoami", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    assertThat(second.get("/whoami", "Authorization", bearer(token)).statusCode()).as("cached").isEqualTo(200);

    long revokedAt = System.nanoTime();
    latchkey.manager().revokeToken(Actor.system(), t.ref());
    assertThat(first.get("/whoami", "Authorization", bearer(token)).statusCode()).as("this node: at once")
        .isEqualTo(401);
    long refusedAfter = -1;
    while (System.nanoTime() - revokedAt < Duration.ofSeconds(5).toNanos()) {
      if (second.get("/whoami", "Authorization", bearer(token)).statusCode() == 401) {
        refusedAfter = System.nanoTime() - revokedAt;
        break;
      }
      Thread.sleep(20);
    }
    assertThat(refusedAfter).as("refused by the second node").isPositive();
    // the bound (1 s) plus one HTTP round trip and scheduling slack on a shared machine
    assertThat(Duration.ofNanos(refusedAfter)).isLessThanOrEqualTo(Duration.ofMillis(1500));
    Latchkey secondLatchkey = secondNode.getBean(Latchkey.class);
    assertThat(secondLatchkey.stats().changesApplied()).as("through the change feed").isPositive();
  }

  @Test
  void healthShowsAFreshChangeFeedOverHttp() {
    HttpResponse<String> r = new Http(port).get("/actuator/health");
    assertThat(JsonPath.<String>read(r.body(), "$.components.latchkey.status")).isEqualTo("UP");
    assertThat(JsonPath.<String>read(r.body(), "$.components.latchkey.details.changeFeed")).isEqualTo("fresh");
    assertThat(JsonPath.<String>read(r.body(), "$.components.latchkey.details.stalenessBound")).isEqualTo("PT1S");
  }

  @Test
  void thePeppersPropertyIsMaskedInEnvAndConfigprops() {
    Http http = new Http(port);
    String key = Tokens.PEPPERS.substring(Tokens.PEPPERS.indexOf(':') + 1);
    for (String endpoint : new String[] {"/actuator/env", "/actuator/configprops", "/actuator/env/latchkey.peppers"}) {
      HttpResponse<String> r = http.get(endpoint);
      assertThat(r.statusCode()).as(endpoint).isEqualTo(200);
      assertThat(r.body()).as(endpoint).doesNotContain(key).contains("******");
    }
    assertThat(http.get("/actuator/configprops").body()).contains("\"tokenPrefix\":\"acme\"");
  }

  private static int secondPort() {
    return ((WebServerApplicationContext) secondNode).getWebServer().getPort();
  }
}
