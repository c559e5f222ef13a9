package dev.latchkey.web;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.Latchkey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewUser;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.memory.MemoryTokenStore;
import jakarta.servlet.http.HttpServlet;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One Latchkey over a memory store with a hand-moved clock, and the module's servlet over it, with
 * the actors of the authorization matrix:
 *
 * <ul>
 *   <li>{@code acme/user/admin}: the account admin;
 *   <li>{@code acme/user/alice} and {@code acme/user/bob}: plain users (permission {@code read});
 *   <li>{@code acme/user/ops}: a service-account manager (manage and mint service accounts, and
 *       {@code deploy}, so that it covers the service accounts below);
 *   <li>{@code acme/sa/bot}: a service account at {@code acme/eng} with {@code deploy};
 *   <li>{@code acme/sa/root_bot}: a service account with the account admin role (ops does not cover it);
 *   <li>{@code other/user/boss}: another account's admin.
 * </ul>
 *
 * The resolver is what a host application would write: the signed-in user's name is a principal
 * ref (or "system"), and a Latchkey bearer token works too.
 */
final class World implements AutoCloseable {
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  static final String ADMIN = "acme/user/admin";
  static final String ALICE = "acme/user/alice";
  static final String BOB = "acme/user/bob";
  static final String OPS = "acme/user/ops";
  static final String BOT = "acme/sa/bot";
  static final String ROOT_BOT = "acme/sa/root_bot";
  static final String FOREIGN_ADMIN = "other/user/boss";
  static final String SYSTEM = "system";

  final MutableClock clock = new MutableClock(START);
  final Latchkey latchkey;
  final TokenManager manager;
  final HttpServlet servlet;

  World() {
    this(b -> {}, b -> {});
  }

  World(Consumer<Latchkey.Builder> core, Consumer<LatchkeyWeb.Builder> customize) {
    Latchkey.Builder builder = Latchkey.builder()
        .store(new MemoryTokenStore())
        .peppers(PepperKeyset.generate(new SecureRandom()))
        .tokenPrefix("lk")
        .clock(clock);
    core.accept(builder);
    latchkey = builder.build();
    manager = latchkey.manager();
    Actor system = Actor.system();
    manager.createAccount(system, "acme", "Acme Inc.");
    manager.createAccount(system, "other", "Other Ltd.");
    manager.createUser(system, NewUser.of("acme", "admin", "Ada Admin").withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE)));
    manager.createUser(system, NewUser.of("acme", "alice", "Alice").withPermissions(Set.of("read")));
    manager.createUser(system, NewUser.of("acme", "bob", "Bob").withPermissions(Set.of("read")));
    manager.createUser(system, NewUser.of("acme", "ops", "Olga Ops").withPermissions(Set.of(
        AccessPolicy.MANAGE_SERVICE_ACCOUNTS, AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS, "deploy")));
    manager.createServiceAccount(system, NewServiceAccount.of(Scope.org("acme", "eng"), "bot", "Build bot")
        .withPermissions(Set.of("deploy")));
    manager.createServiceAccount(system, NewServiceAccount.of(Scope.account("acme"), "root_bot", "Root bot")
        .withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE)));
    manager.createUser(system, NewUser.of("other", "boss", "Other boss").withRoles(Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE)));
    LatchkeyWeb.Builder web = LatchkeyWeb.builder(latchkey)
        .actorResolver(ActorResolver.userPrincipal(World::actorOf).or(ActorResolver.bearerToken(latchkey.verifier())))
        .clock(clock);
    customize.accept(web);
    servlet = web.build();
  }

  static Optional<Actor> actorOf(java.security.Principal user) {
    String name = user.getName();
    return Optional.of(name.equals(SYSTEM) ? Actor.system() : Actor.principal(PrincipalRef.parse(name)));
  }

  @Override
  public void close() {
    latchkey.close();
  }
}
