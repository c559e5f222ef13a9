package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Account;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Expiration;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The authorization matrix over HTTP: every kind of resource and method, by five actors (the user
 * whose personal credentials they are, another user, a service-account manager, the account admin
 * and the system actor), against the rule written here from README "Authorization" (not by asking
 * the library). Each case runs on a fresh world. An allowed case gets its success status; a denied
 * one gets 403 {@code permission-denied} and leaves every account, principal, key and token exactly
 * as it was.
 */
class AuthorizationMatrixHttpTest extends WebTest {

  enum Who {
    SELF(World.ALICE), OTHER_USER(World.BOB), SA_MANAGER(World.OPS), ADMIN(World.ADMIN), SYSTEM(World.SYSTEM);

    final String ref;

    Who(String ref) {
      this.ref = ref;
    }
  }

  record Case(String name, String method, String path, Object body, int success, Set<Who> allowed) {}

  private static final String PERSONAL = "accounts/acme/users/alice/api-keys";
  private static final String BOT = "accounts/acme/service-accounts/bot";
  private static final String ROOT_BOT = "accounts/acme/service-accounts/root_bot";
  private static final Set<Who> ALL = EnumSet.allOf(Who.class);
  private static final Set<Who> SYSTEM_ONLY = EnumSet.of(Who.SYSTEM);
  /** Minting and editing personal credentials: their own user (and the system actor) only. */
  private static final Set<Who> OWN = EnumSet.of(Who.SELF, Who.SYSTEM);
  /** Reading, revoking and deleting personal credentials: also the account admin. */
  private static final Set<Who> OWN_OR_ADMIN = EnumSet.of(Who.SELF, Who.ADMIN, Who.SYSTEM);
  /** Service accounts and their credentials: the manager (who covers bot), the admin, the system. */
  private static final Set<Who> SA_STAFF = EnumSet.of(Who.SA_MANAGER, Who.ADMIN, Who.SYSTEM);
  private static final Set<Who> ADMINS = EnumSet.of(Who.ADMIN, Who.SYSTEM);

  private static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    // Personal credentials (alice's).
    c.add(new Case("list personal keys", "GET", PERSONAL, null, 200, OWN_OR_ADMIN));
    c.add(new Case("create personal key", "POST", PERSONAL, Map.of("id", "k2", "name", "K2"), 201, OWN));
    c.add(new Case("read personal key", "GET", PERSONAL + "/k", null, 200, OWN_OR_ADMIN));
    c.add(new Case("edit personal key", "PATCH", PERSONAL + "/k", Map.of("name", "New"), 200, OWN));
    c.add(new Case("delete personal key", "DELETE", PERSONAL + "/k", null, 204, OWN_OR_ADMIN));
    c.add(new Case("list personal tokens", "GET", PERSONAL + "/k/tokens", null, 200, OWN_OR_ADMIN));
    c.add(new Case("issue personal token", "POST", PERSONAL + "/k/tokens", Map.of("id", "t2", "name", "T2"), 201, OWN));
    c.add(new Case("read personal token", "GET", PERSONAL + "/k/tokens/t", null, 200, OWN_OR_ADMIN));
    c.add(new Case("edit personal token", "PATCH", PERSONAL + "/k/tokens/t", Map.of("name", "New"), 200, OWN));
    c.add(new Case("rotate personal token", "POST", PERSONAL + "/k/tokens/t/rotate", Map.of(), 201, OWN));
    c.add(new Case("revoke personal token", "POST", PERSONAL + "/k/tokens/t/revoke", null, 200, OWN_OR_ADMIN));
    c.add(new Case("delete personal token", "DELETE", PERSONAL + "/k/tokens/t", null, 204, OWN_OR_ADMIN));
    // A service account's credentials (bot, at acme/eng, covered by the manager).
    String sa = BOT + "/api-keys";
    c.add(new Case("list service-account keys", "GET", sa, null, 200, SA_STAFF));
    c.add(new Case("create service-account key", "POST", sa, Map.of("id", "k2", "name", "K2"), 201, SA_STAFF));
    c.add(new Case("read service-account key", "GET", sa + "/k", null, 200, SA_STAFF));
    c.add(new Case("edit service-account key", "PATCH", sa + "/k", Map.of("name", "New"), 200, SA_STAFF));
    c.add(new Case("delete service-account key", "DELETE", sa + "/k", null, 204, SA_STAFF));
    c.add(new Case("list service-account tokens", "GET", sa + "/k/tokens", null, 200, SA_STAFF));
    c.add(new Case("issue service-account token", "POST", sa + "/k/tokens", Map.of("id", "t2", "name", "T2"), 201, SA_STAFF));
    c.add(new Case("read service-account token", "GET", sa + "/k/tokens/t", null, 200, SA_STAFF));
    c.add(new Case("edit service-account token", "PATCH", sa + "/k/tokens/t", Map.of("name", "New"), 200, SA_STAFF));
    c.add(new Case("rotate service-account token", "POST", sa + "/k/tokens/t/rotate", Map.of("grace", "PT5M"), 201, SA_STAFF));
    c.add(new Case("revoke service-account token", "POST", sa + "/k/tokens/t/revoke", null, 200, SA_STAFF));
    c.add(new Case("delete service-account token", "DELETE", sa + "/k/tokens/t", null, 204, SA_STAFF));
    // No escalation: root_bot holds the admin role, which the manager does not.
    c.add(new Case("create key for an admin service account", "POST", ROOT_BOT + "/api-keys",
        Map.of("id", "k2", "name", "K2"), 201, ADMINS));
    c.add(new Case("disable an admin service account", "POST", ROOT_BOT + "/disable", null, 200, ADMINS));
    c.add(new Case("revoke an admin service account's token", "POST", ROOT_BOT + "/api-keys/k/tokens/t/revoke", null, 200,
        ADMINS));
    // Users.
    c.add(new Case("list users", "GET", "accounts/acme/users", null, 200, SA_STAFF));
    c.add(new Case("create user", "POST", "accounts/acme/users", Map.of("id", "carol", "name", "Carol"), 201, ADMINS));
    c.add(new Case("read a user", "GET", "accounts/acme/users/alice", null, 200,
        EnumSet.of(Who.SELF, Who.SA_MANAGER, Who.ADMIN, Who.SYSTEM)));
    c.add(new Case("edit a user", "PATCH", "accounts/acme/users/alice", Map.of("name", "Alicia"), 200, ADMINS));
    c.add(new Case("disable a user", "POST", "accounts/acme/users/alice/disable", null, 200, ADMINS));
    c.add(new Case("enable a user", "POST", "accounts/acme/users/alice/enable", null, 200, ADMINS));
    c.add(new Case("delete a user", "DELETE", "accounts/acme/users/alice", null, 204, ADMINS));
    // Service accounts.
    c.add(new Case("list service accounts", "GET", "accounts/acme/service-accounts", null, 200, SA_STAFF));
    c.add(new Case("create service account", "POST", "accounts/acme/service-accounts",
        Map.of("id", "new_bot", "name", "New", "scope", "acme/eng", "permissions", List.of("deploy")), 201, SA_STAFF));
    c.add(new Case("create an admin service account", "POST", "accounts/acme/service-accounts",
        Map.of("id", "new_bot", "name", "New", "roles", List.of("account_admin")), 201, ADMINS));
    c.add(new Case("read a service account", "GET", BOT, null, 200, SA_STAFF));
    c.add(new Case("edit a service account", "PATCH", BOT, Map.of("name", "Robot"), 200, SA_STAFF));
    c.add(new Case("grant a service account the admin role", "PATCH", BOT, Map.of("roles", List.of("account_admin")), 200,
        ADMINS));
    c.add(new Case("disable a service account", "POST", BOT + "/disable", null, 200, SA_STAFF));
    c.add(new Case("enable a service account", "POST", BOT + "/enable", null, 200, SA_STAFF));
    c.add(new Case("delete a service account", "DELETE", BOT, null, 204, SA_STAFF));
    // Accounts and the system-wide queries.
    c.add(new Case("list accounts", "GET", "accounts", null, 200, SYSTEM_ONLY));
    c.add(new Case("create account", "POST", "accounts", Map.of("id", "initech", "name", "Initech"), 201, SYSTEM_ONLY));
    c.add(new Case("read the own account", "GET", "accounts/acme", null, 200, ALL));
    c.add(new Case("read another account", "GET", "accounts/other", null, 200, SYSTEM_ONLY));
    c.add(new Case("delete an account", "DELETE", "accounts/acme", null, 204, SYSTEM_ONLY));
    c.add(new Case("list expiring tokens", "GET", "expiring-tokens", null, 200, SYSTEM_ONLY));
    c.add(new Case("read hash usage", "GET", "hash-usage", null, 200, SYSTEM_ONLY));
    return c;
  }

  /** One signed-in client per actor for the whole matrix: sessions belong to Jetty, not to a world. */
  private final Map<Who, Client> clients = new java.util.EnumMap<>(Who.class);

  @TestFactory
  Stream<DynamicTest> matrix() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases()) {
      for (Who who : Who.values()) {
        boolean allowed = c.allowed().contains(who);
        tests.add(DynamicTest.dynamicTest(c.name() + " as " + who + (allowed ? ": allowed" : ": denied"),
            () -> run(c, who, allowed)));
      }
    }
    return tests.stream();
  }

  private void run(Case c, Who who, boolean allowed) {
    try (World w = new World()) {
      seed(w);
      server.use(w.servlet);
      String before = snapshot(w.manager);
      Client client = clients.computeIfAbsent(who, x -> as(x.ref));
      Client.Call call = client.call(c.method(), c.path());
      if (c.body() != null) {
        call.json(c.body());
      }
      Reply reply = call.send();
      if (allowed) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(c.success());
      } else {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.problemType()).isEqualTo("permission-denied");
        assertThat(snapshot(w.manager)).as("nothing changed").isEqualTo(before);
      }
    }
  }

  /** A key with a token for alice, bot and root_bot, made straight through Latchkey. */
  private static void seed(World w) {
    for (String owner : List.of("acme/user/alice", "acme/sa/bot", "acme/sa/root_bot")) {
      ApiKeyRef key = PrincipalRef.parse(owner).apiKey("k");
      w.manager.createApiKey(Actor.system(), NewApiKey.of(key.owner(), "k", "K"));
      w.manager.issueToken(Actor.system(), NewToken.of(key, "t", "T").expiring(Expiration.after(Duration.ofDays(30))));
    }
  }

  /** Everything the store holds, as the system actor reads it. */
  static String snapshot(TokenManager m) {
    Actor system = Actor.system();
    StringBuilder out = new StringBuilder();
    for (Account a : m.listAccounts(system, PageRequest.first(1000)).items()) {
      out.append(a).append('\n');
      for (PrincipalType type : PrincipalType.values()) {
        for (Principal p : m.listPrincipals(system, a.id(), type, PageRequest.first(1000)).items()) {
          out.append("  ").append(p).append('\n');
          for (ApiKey k : m.listApiKeys(system, p.ref(), PageRequest.first(1000)).items()) {
            out.append("    ").append(k).append('\n');
            m.listTokens(system, k.ref(), PageRequest.first(1000)).items()
                .forEach(t -> out.append("      ").append(t).append('\n'));
          }
        }
      }
    }
    return out.toString();
  }
}
