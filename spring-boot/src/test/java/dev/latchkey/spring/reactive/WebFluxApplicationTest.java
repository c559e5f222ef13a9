package dev.latchkey.spring.reactive;

import static dev.latchkey.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.spring.ApplicationTestProperties;
import dev.latchkey.spring.Http;
import dev.latchkey.spring.TestPeppers;
import dev.latchkey.spring.RateLimitedAnswers;
import dev.latchkey.spring.Tokens;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A WebFlux application over real HTTP: the same answers as the servlet path, and the threading
 * rule: a cache hit is verified on the event-loop thread that received the request, and the store
 * (JDBC, blocking) is read on a bounded elastic thread only, never on an event loop.
 */
@SpringBootTest(classes = ReactiveApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.main.web-application-type=reactive",
    "spring.datasource.url=jdbc:h2:mem:latchkey_webflux;DB_CLOSE_DELAY=-1"})
@ApplicationTestProperties
class WebFluxApplicationTest implements TestPeppers {
  @LocalServerPort
  int port;

  @Autowired
  Latchkey latchkey;

  @Autowired
  ReactiveApp.Threads threads;

  Http http;
  IssuedToken deployer;
  IssuedToken reader;

  @BeforeEach
  void tokens() {
    http = new Http(port);
    deployer = Tokens.issue(latchkey, Set.of("deploy"), Set.of());
    reader = Tokens.issue(latchkey, Set.of("read"), Set.of());
  }

  @Test
  void aCacheMissReadsTheStoreOnBoundedElasticAndAHitStaysOnTheEventLoop() {
    threads.storeLookups.clear();
    threads.cacheHits.clear();
    String token = reader.value().reveal();

    HttpResponse<String> first = http.get("/whoami", "Authorization", bearer(token));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(reader.ref().apiKey().owner().toString());
    assertThat(threads.storeLookups).as("the miss read the token and its principal").hasSizeGreaterThanOrEqualTo(1);
    assertThat(threads.storeLookups).allSatisfy(thread ->
        assertThat(thread).startsWith("boundedElastic-").endsWith("(may block)"));

    int lookups = threads.storeLookups.size();
    HttpResponse<String> second = http.get("/whoami", "Authorization", bearer(token));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(threads.storeLookups).as("a hit reads no store").hasSize(lookups);
    // Boot 4 names Reactor Netty's event-loop threads webflux-http-epoll-N (or -nio-N)
    assertThat(threads.cacheHits).isNotEmpty()
        .allSatisfy(thread -> assertThat(thread).contains("-http-").endsWith("(non-blocking)"));
  }

  @Test
  void noBadOrMissingTokenIsEverAcceptedAndNoneIsEchoed() {
    HttpResponse<String> none = http.get("/whoami");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer")
        .doesNotContain("error=");

    String wrong = reader.value().reveal().substring(0, 40) + "x";
    HttpResponse<String> bad = http.get("/whoami", "Authorization", bearer(wrong));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    assertThat(bad.body() + bad.headers().map()).doesNotContain(wrong);
    for (HttpResponse<String> r : java.util.List.of(none, bad)) {
      assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }
  }

  /** Ambiguous credentials (a token in both headers) are refused, never guessed between. */
  @Test
  void aRequestWithTwoCredentialsIsRefused() {
    HttpResponse<String> two = http.get("/whoami", "Authorization", bearer(reader.value().reveal()),
        "X-Api-Key", reader.value().reveal());
    assertThat(two.statusCode()).isEqualTo(401);
    assertThat(two.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void theApiKeyHeaderWorks() {
    assertThat(http.get("/whoami", "X-Api-Key", reader.value().reveal()).statusCode()).isEqualTo(200);
  }

  @Test
  void reactiveMethodSecurityUsesThePermissions() {
    HttpResponse<String> ok = http.get("/deploy", "Authorization", bearer(deployer.value().reveal()));
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> denied = http.get("/deploy", "Authorization", bearer(reader.value().reveal()));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
    assertThat(denied.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void aRevocationReachesTheRunningAppAtOnce() {
    String token = deployer.value().reveal();
    assertThat(http.get("/whoami", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    latchkey.manager().revokeToken(Actor.system(), deployer.ref());
    assertThat(http.get("/whoami", "Authorization", bearer(token)).statusCode()).isEqualTo(401);
  }

  @Test
  void metricsAndHealthOverHttp() {
    http.get("/whoami", "Authorization", bearer(reader.value().reveal()));
    HttpResponse<String> metrics = http.get("/actuator/metrics/latchkey.verify?tag=outcome:valid");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<Double>read(metrics.body(), "$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);
    HttpResponse<String> health = http.get("/actuator/health");
    assertThat(JsonPath.<String>read(health.body(), "$.components.latchkey.status")).isEqualTo("UP");
  }

  @Test
  void aTokenOverItsRateLimitIsA429WithTheServletFiltersHeadersNotA401() {
    IssuedToken limited = Tokens.issue(latchkey, Set.of("read"), Set.of());
    latchkey.manager().editToken(Actor.system(), limited.ref(),
        dev.latchkey.TokenEdit.none().rateLimit(dev.latchkey.RateLimit.parse("1/1h")));
    String token = limited.value().reveal();
    assertThat(http.get("/whoami", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.get("/whoami", "Authorization", bearer(token));
    RateLimitedAnswers.assertRateLimited(r, "\"token\";q=1;w=3600", 3600, token);
    // the same through the API-key header
    RateLimitedAnswers.assertRateLimited(http.get("/whoami", "X-Api-Key", token), "\"token\";q=1;w=3600", 3600, token);
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
