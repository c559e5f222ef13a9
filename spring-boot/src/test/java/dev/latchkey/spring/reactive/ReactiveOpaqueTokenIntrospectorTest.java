package dev.latchkey.spring.reactive;

import static dev.latchkey.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.RateLimit;
import dev.latchkey.Restriction;
import dev.latchkey.TokenEdit;
import dev.latchkey.spring.Http;
import dev.latchkey.spring.RateLimitedAnswers;
import dev.latchkey.spring.TestPeppers;
import dev.latchkey.spring.Tokens;
import dev.latchkey.spring.security.LatchkeyAuthorities;
import dev.latchkey.spring.security.reactive.LatchkeyReactiveOpaqueTokenIntrospector;
import dev.latchkey.spring.security.reactive.LatchkeyServerAuthenticationEntryPoint;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application on {@code oauth2ResourceServer(o -> o.opaqueToken(...))} with Latchkey's
 * reactive introspector, over real HTTP: address allow-lists against the exchange's peer address,
 * and 429 with the servlet filter's headers for an over-limit token.
 */
@SpringBootTest(classes = ReactiveOpaqueTokenIntrospectorTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.web-application-type=reactive")
class ReactiveOpaqueTokenIntrospectorTest implements TestPeppers {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(App.Api.class)
  static class App {
    @Bean
    ReactiveOpaqueTokenIntrospector introspector(Latchkey latchkey) {
      return new LatchkeyReactiveOpaqueTokenIntrospector(latchkey.verifier(), LatchkeyAuthorities.defaults());
    }

    @Bean
    SecurityWebFilterChain chain(ServerHttpSecurity http) {
      return http.authorizeExchange(e -> e.anyExchange().authenticated())
          .oauth2ResourceServer(o -> o.opaqueToken(Customizer.withDefaults())
              .authenticationEntryPoint(new LatchkeyServerAuthenticationEntryPoint()))
          .build();
    }

    @RestController
    static class Api {
      @GetMapping("/whoami")
      Mono<String> whoami(Authentication authentication) {
        return Mono.just(authentication.getName());
      }
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  Latchkey latchkey;

  @Test
  void anAddressAllowListIsCheckedAgainstThePeerAddressOfTheExchange() {
    Http http = new Http(port);
    // the test client connects over loopback, IPv4 or IPv6 as "localhost" resolves here
    IssuedToken local = Tokens.issue(latchkey, Set.of("read"), Set.of(), Restriction.from("127.0.0.0/8", "::1/128"));
    IssuedToken elsewhere = Tokens.issue(latchkey, Set.of("read"), Set.of(), Restriction.from("10.0.0.0/8"));

    HttpResponse<String> allowed = http.get("/whoami", "Authorization", bearer(local.value().reveal()));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo(local.ref().apiKey().owner().toString());
    HttpResponse<String> refused = http.get("/whoami", "Authorization", bearer(elsewhere.value().reveal()));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    HttpResponse<String> none = http.get("/whoami");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer")
        .doesNotContain("error=");
  }

  @Test
  void aTokenOverItsRateLimitIsA429WithTheServletFiltersHeadersNotA401() {
    Http http = new Http(port);
    IssuedToken limited = Tokens.issue(latchkey, Set.of("read"), Set.of());
    latchkey.manager().editToken(Actor.system(), limited.ref(), TokenEdit.none().rateLimit(RateLimit.parse("1/1h")));
    String token = limited.value().reveal();
    assertThat(http.get("/whoami", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    RateLimitedAnswers.assertRateLimited(http.get("/whoami", "Authorization", bearer(token)),
        "\"token\";q=1;w=3600", 3600, token);
  }
}
