package dev.latchkey.it;

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
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.TokenStore;
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
 * account {@code ci} at project scope {@code acme/eng/api}.
 */
final class World implements AutoCloseable {
  static final Instant START = Instant.parse("2030-06-01T12:00:00Z");
  static final PepperKeyset PEPPERS = PepperKeyset.generate(new SecureRandom());

  final MutableClock clock = new MutableClock(START);
  final TokenStore memory;
  final CountingStore store;
  final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
  final Latchkey latchkey;
  final TokenManager m;
  final TokenVerifier verifier;
  final Actor system = Actor.system();
  final Principal admin;
  final Principal ops;
  final Principal alice;
  final Principal bob;
  final Principal ci;

  World() {
    this(b -> b);
  }

  World(UnaryOperator<Latchkey.Builder> customize) {
    this(new MemoryTokenStore(), customize);
  }

  World(TokenStore backing, UnaryOperator<Latchkey.Builder> customize) {
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

  static Actor as(Principal p) {
    return Actor.principal(p.ref());
  }

  /** Creates a key for {@code owner} (as the system actor) and issues one token under it. */
  IssuedToken token(PrincipalRef owner, String keyId, String tokenId) {
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
