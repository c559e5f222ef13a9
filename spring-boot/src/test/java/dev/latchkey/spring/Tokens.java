package dev.latchkey.spring;

import dev.latchkey.Actor;
import dev.latchkey.ConflictException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Issues tokens through the public management API, for the test applications. */
public final class Tokens {
  /** One keyset for the test JVM, in text form, as an operator would set latchkey.peppers. */
  public static final String PEPPERS = PepperKeyset.generate(new SecureRandom()).export();

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Tokens() {}

  /** A new service account of account {@code acme} with these grants, one key and one token. */
  public static IssuedToken issue(Latchkey latchkey, Set<String> permissions, Set<String> roles) {
    return issue(latchkey, permissions, roles, dev.latchkey.Restriction.NONE);
  }

  /** As {@link #issue(Latchkey, Set, Set)}, the token carrying {@code restriction}. */
  public static IssuedToken issue(Latchkey latchkey, Set<String> permissions, Set<String> roles,
      dev.latchkey.Restriction restriction) {
    TokenManager m = latchkey.manager();
    Actor system = Actor.system();
    try {
      m.createAccount(system, "acme", "Acme Inc.");
    } catch (ConflictException alreadyThere) {
      // another test of this context made it
    }
    String id = "bot" + COUNTER.incrementAndGet() + "_" + System.nanoTime();
    var sa = m.createServiceAccount(system, NewServiceAccount.of(Scope.account("acme"), id, "Bot " + id)
        .withPermissions(permissions).withRoles(roles));
    var key = m.createApiKey(system, NewApiKey.of(sa.ref(), "key", "Key"));
    return m.issueToken(system, NewToken.of(key.ref(), "token", "Token").restrictedTo(restriction));
  }
}
