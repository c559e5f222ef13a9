package dev.latchkey.spring.mvc;

import static dev.latchkey.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.RateLimit;
import dev.latchkey.Restriction;
import dev.latchkey.TokenEdit;
import dev.latchkey.spring.Http;
import dev.latchkey.spring.TestPeppers;
import dev.latchkey.spring.RateLimitedAnswers;
import dev.latchkey.spring.Tokens;
import dev.latchkey.spring.security.LatchkeyAuthenticationEntryPoint;
import dev.latchkey.spring.security.LatchkeyAuthorities;
import dev.latchkey.spring.security.LatchkeyOpaqueTokenIntrospector;
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
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application already on {@code oauth2ResourceServer(o -> o.opaqueToken(...))} switches to
 * Latchkey with one bean, the introspector (and, for 429 on an over-limit token, one entry point):
 * over real HTTP, permissions, bad tokens, address allow-lists checked against the request's peer
 * address, and rate limits.
 */
@SpringBootTest(classes = OpaqueTokenIntrospectorTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpaqueTokenIntrospectorTest implements TestPeppers {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableMethodSecurity
  @Import(App.Api.class)
  static class App {
    /** The one bean that switches an opaque-token resource server to Latchkey. */
    @Bean
    OpaqueTokenIntrospector introspector(Latchkey latchkey) {
      return new LatchkeyOpaqueTokenIntrospector(latchkey.verifier(), LatchkeyAuthorities.defaults());
    }

    /**
     * The application's chain from its introspection-endpoint days, plus the entry point that
     * answers an over-limit token with 429.
     */
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .oauth2ResourceServer(o -> o.opaqueToken(Customizer.withDefaults())
              .authenticationEntryPoint(new LatchkeyAuthenticationEntryPoint()))
          .build();
    }

    @RestController
    static class Api {
      @GetMapping("/whoami")
      String whoami(Authentication authentication) {
        return authentication.getName();
      }

      @PreAuthorize("hasAuthority('deploy')")
      @GetMapping("/deploy")
      String deploy() {
        return "ok";
      }
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  Latchkey latchkey;

  @Autowired
  OpaqueTokenIntrospector introspector;

  @Test
  void latchkeyTokensWorkThroughTheOpaqueTokenResourceServer() {
    Http http = new Http(port);
    IssuedToken deployer = Tokens.issue(latchkey, Set.of("deploy"), Set.of());
    IssuedToken reader = Tokens.issue(latchkey, Set.of("read"), Set.of());

    HttpResponse<String> me = http.get("/whoami", "Authorization", bearer(deployer.value().reveal()));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).isEqualTo(deployer.ref().apiKey().owner().toString());
    assertThat(http.get("/deploy", "Authorization", bearer(deployer.value().reveal())).statusCode()).isEqualTo(200);

    HttpResponse<String> denied = http.get("/deploy", "Authorization", bearer(reader.value().reveal()));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");

    String wrong = reader.value().reveal().replace('a', 'b');
    HttpResponse<String> bad = http.get("/whoami", "Authorization", bearer(wrong));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token")
        .doesNotContain(wrong);
  }

  @Test
  void anAddressAllowListIsCheckedAgainstThePeerAddressOfTheCurrentRequest() {
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
  }

  /** Outside a request there is no address: an allow-listed token fails closed, an unrestricted one passes. */
  @Test
  void withoutARequestAnAllowListedTokenIsRejected() {
    IssuedToken local = Tokens.issue(latchkey, Set.of("read"), Set.of(), Restriction.from("127.0.0.0/8", "::1/128"));
    IssuedToken plain = Tokens.issue(latchkey, Set.of("read"), Set.of());
    assertThat(introspector.introspect(plain.value().reveal()).getName())
        .isEqualTo(plain.ref().apiKey().owner().toString());
    assertThatThrownBy(() -> introspector.introspect(local.value().reveal()))
        .isInstanceOf(BadOpaqueTokenException.class);
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
