package dev.latchkey.spring.boot.web;

import dev.latchkey.Actor;
import java.security.Principal;
import java.util.Optional;

/**
 * Tells the mounted management API and console which Latchkey actor a signed-in user of the
 * application is. The application supplies it as a bean; without one, only Latchkey bearer tokens
 * are accepted there.
 *
 * <p>Under Spring Security the user is the request's {@code Authentication} (the argument is one),
 * typically from form or OAuth2 login, for example:
 *
 * <pre>{@code
 * @Bean
 * LatchkeyWebUserMapping latchkeyUsers() {
 *   return user -> Optional.of(Actor.principal(PrincipalRef.user("acme", user.getName())));
 * }
 * }</pre>
 *
 * Return empty for users who have no Latchkey principal (they get 401), and {@link Actor#system()}
 * only for operators who may do everything. Requests authenticated by a Latchkey token never reach
 * the mapping: they act as the token's principal.
 */
@FunctionalInterface
public interface LatchkeyWebUserMapping {
  /**
   * The actor for a signed-in user.
   *
   * @param user the request's authenticated user
   * @return the Latchkey actor, or empty if the user may not use Latchkey's management
   */
  Optional<Actor> actor(Principal user);
}
