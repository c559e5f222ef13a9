package dev.latchkey.example;

import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NotFoundException;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import java.util.Set;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * For trying the example: on a database without account {@code acme}, creates it with a service
 * account {@code ci_bot} (permissions {@code deploy}, {@code ops}) and prints one token to standard
 * output, once, as the CLI would. Off with {@code example.demo-token=false}.
 */
@Component
@ConditionalOnProperty(name = "example.demo-token", havingValue = "true", matchIfMissing = true)
class DemoToken implements ApplicationRunner {
  private final Latchkey latchkey;

  DemoToken(Latchkey latchkey) {
    this.latchkey = latchkey;
  }

  @Override
  public void run(ApplicationArguments args) {
    TokenManager m = latchkey.manager();
    Actor system = Actor.system();
    try {
      m.getAccount(system, "acme");
      return; // not a fresh database: nothing to show
    } catch (NotFoundException fresh) {
      // go on
    }
    m.createAccount(system, "acme", "Acme Inc.");
    var bot = m.createServiceAccount(system, NewServiceAccount.of(Scope.account("acme"), "ci_bot", "CI bot")
        .withPermissions(Set.of("deploy", "ops")));
    var key = m.createApiKey(system, NewApiKey.of(bot.ref(), "ci_key", "CI key"));
    IssuedToken token = m.issueToken(system, NewToken.of(key.ref(), "demo", "Demo token"));
    System.out.println();
    System.out.println("Demo token for acme/sa/ci_bot (deploy, ops), shown once:");
    System.out.println("  export TOKEN=" + token.value().reveal());
    System.out.println("  curl -H \"Authorization: Bearer $TOKEN\" localhost:8080/api/hello");
    System.out.println();
  }
}
