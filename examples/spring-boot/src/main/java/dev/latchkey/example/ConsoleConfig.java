package dev.latchkey.example;

import dev.latchkey.Actor;
import dev.latchkey.PrincipalRef;
import dev.latchkey.spring.boot.web.LatchkeyWebUserMapping;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The management API and console at /latchkey (latchkey.web.enabled=true): who a signed-in user of
 * this application is in Latchkey. Here a form-login user is the Latchkey user of the same name in
 * account acme. People sign in with the web chain's form login; the console then uses that session.
 */
@Configuration
class ConsoleConfig {
  @Bean
  LatchkeyWebUserMapping latchkeyUsers() {
    return user -> Optional.of(Actor.principal(PrincipalRef.user("acme", user.getName())));
  }
}
