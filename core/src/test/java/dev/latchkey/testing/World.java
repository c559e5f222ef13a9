package dev.latchkey.testing;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.AuditEvent;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenVerifier;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.testsupport.MutableClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A small account for behaviour tests: account {@code acme} with an Account Admin ({@code admin}),
 * a user with the service-account management and minting permissions who also holds every
 * permission of {@code ci} ({@code ops}), two plain users ({@code alice}, {@code bob}) and a service
 * account {@code ci} at project scope {@code acme/eng/api}. The store is a {@link SimpleTokenStore}
 * unless a test passes its own; either way it sits behind a {@link CountingStore} ({@link #store}),
 * and {@link #memory} is the store behind the counter, for reading without counting.
 */
public class World implements AutoCloseable {
  public static final Instant START = Instant.parse("2030-06-01T12:00:00Z");
  public static final PepperKeyset PEPPERS = PepperKeyset.generate(new SecureRandom());

  public final MutableClock clock = new MutableClock(START);
  public final TokenStore memory;
  public final CountingStore store;
  public final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
  public final Latchkey latchkey;
  public final TokenManager m;
  public final TokenVerifier verifier;
  public final Actor system = Actor.system();
  public final Principal admin;
  public final Principal ops;
  public final Principal alice;
  public final Principal bob;
  public final Principal ci;

  public World() {
    this(b -> b);
  }

  public World(UnaryOperator<Latchkey.Builder> customize) {
    this(new SimpleTokenStore(), customize);
  }

  public World(TokenStore backing, UnaryOperator<Latchkey.Builder> customize) {
    memory = backing;
    store = new CountingStore(memory);
    latchkey = customize.apply(Latchkey.builder()
            .store(store)
            .peppers(PEPPERS)
            .tokenPrefix("acme")
            .clock(clock)
            .limits(Limits.defaults())
            .auditListener(audit::add))
        .build();
    m = latchkey.manager();
    verifier = latchkey.verifier();
    m.createAccount(system, "acme", "Acme Inc.");
    admin = m.createUser(system, NewUser.of("acme", "admin", "Ada Admin").withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE)));
    ops = m.createUser(system, NewUser.of("acme", "ops", "Otto Ops").withPermissions(Set.of(
        AccessPolicy.MANAGE_SERVICE_ACCOUNTS, AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS, "deploy", "read")));
    alice = m.createUser(system, NewUser.of("acme", "alice", "Alice").withPermissions(Set.of("read")));
    bob = m.createUser(system, NewUser.of("acme", "bob", "Bob").withPermissions(Set.of("read")));
    ci = m.createServiceAccount(system, NewServiceAccount.of(Scope.project("acme", "eng", "api"), "ci", "CI")
        .withPermissions(Set.of("deploy", "read")));
  }

  public static Actor as(Principal p) {
    return Actor.principal(p.ref());
  }

  /** Creates a key for {@code owner} (as the system actor) and issues one token under it. */
  public IssuedToken token(PrincipalRef owner, String keyId, String tokenId) {
    var ref = owner.apiKey(keyId);
    if (memory.findApiKey(ref).isEmpty()) {
      m.createApiKey(system, NewApiKey.of(owner, keyId, "Key " + keyId));
    }
    var key = ref;
    return m.issueToken(system, NewToken.of(key, tokenId, "Token " + tokenId));
  }

  @Override
  public void close() {
    latchkey.close();
  }
}
