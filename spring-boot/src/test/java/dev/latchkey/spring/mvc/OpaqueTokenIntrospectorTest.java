package dev.latchkey.spring.mvc;

import static dev.latchkey.spring.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.spring.Http;
import dev.latchkey.spring.Tokens;
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
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application already on {@code oauth2ResourceServer(o -> o.opaqueToken(...))} switches to
 * Latchkey with one bean: the introspector.
 */
@SpringBootTest(classes = OpaqueTokenIntrospectorTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpaqueTokenIntrospectorTest {
  @DynamicPropertySource
  static void peppers(DynamicPropertyRegistry registry) {
    registry.add("latchkey.peppers", () -> Tokens.PEPPERS);
  }

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

    /** The application's chain, unchanged from its introspection-endpoint days. */
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .oauth2ResourceServer(o -> o.opaqueToken(Customizer.withDefaults()))
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
}
