package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.AuditEvent;
import dev.latchkey.Expiration;
import dev.latchkey.Latchkey;
import dev.latchkey.LegacyToken;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.NotFoundException;
import dev.latchkey.PageRequest;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenManager;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every management operation, by every kind of actor, on every kind of target, against a reference
 * rule written here from the specification (README "Authorization") and not by calling the
 * library's rule. Each case runs on a fresh store. An allowed case must succeed (or, for a
 * target that does not exist, fail with {@link NotFoundException}) and a mutation must write and
 * emit one audit event; a denied case must throw {@link PermissionDeniedException} and leave the
 * store and the audit trail exactly as they were.
 */
class AuthorizationMatrixTest {
  private static final String ADMIN = "account_admin";
  private static final String MANAGE_USERS = "latchkey.users.manage";
  private static final String MANAGE_SAS = "latchkey.service_accounts.manage";
  private static final String MINT = "latchkey.service_accounts.mint";
  private static final String LEGACY_HASH =
      OpenBSDBCrypt.generate("2b", "legacy-secret-12345".toCharArray(), new byte[16], 4);

  /** A principal of the fixture, described the way the reference rule sees it. */
  record Spec(String name, String account, PrincipalType type, String scope, Set<String> roles,
      Set<String> permissions, boolean exists, boolean enabled) {
    PrincipalRef ref() {
      return new PrincipalRef(account, type, name);
    }

    boolean isUser() {
      return type == PrincipalType.USER;
    }

    Spec withRole(String role) {
      Set<String> more = new HashSet<>(roles);
      more.add(role);
      return new Spec(name, account, type, scope, Set.copyOf(more), permissions, exists, enabled);
    }

    Spec withPermission(String permission) {
      Set<String> more = new HashSet<>(permissions);
      more.add(permission);
      return new Spec(name, account, type, scope, roles, Set.copyOf(more), exists, enabled);
    }
  }

  private static Spec user(String account, String name, Set<String> roles, Set<String> permissions) {
    return new Spec(name, account, PrincipalType.USER, account, roles, permissions, true, true);
  }

  private static Spec sa(String scope, String name, Set<String> roles, Set<String> permissions) {
    return new Spec(name, scope.split("/")[0], PrincipalType.SERVICE_ACCOUNT, scope, roles, permissions, true, true);
  }

  private static final Spec SYSTEM = null;
  private static final Spec ALICE = user("acme", "alice", Set.of(), Set.of("read"));
  private static final Spec ADMIN_USER = user("acme", "admin", Set.of(ADMIN), Set.of());

  private static final List<Spec> ACTORS = List.of(
      ADMIN_USER,
      user("acme", "um", Set.of(), Set.of(MANAGE_USERS)),
      user("acme", "um_rich", Set.of(), Set.of(MANAGE_USERS, "read")),
      sa("acme", "sam_acct", Set.of(), Set.of(MANAGE_SAS, "deploy")),
      sa("acme/eng", "sam_org", Set.of(), Set.of(MANAGE_SAS, "deploy")),
      sa("acme/eng/api", "sam_proj", Set.of(), Set.of(MANAGE_SAS, "deploy")),
      sa("acme", "mint_acct", Set.of(), Set.of(MINT, "deploy")),
      sa("acme/eng/api", "mint_proj", Set.of(), Set.of(MINT, "deploy")),
      sa("acme/eng", "both_org", Set.of(), Set.of(MANAGE_SAS, MINT, "deploy")),
      user("acme", "ops", Set.of(), Set.of(MANAGE_SAS, MINT, "deploy")),
      ALICE,
      user("other", "foreign_admin", Set.of(ADMIN), Set.of()),
      new Spec("disabled_admin", "acme", PrincipalType.USER, "acme", Set.of(ADMIN), Set.of(), true, false));

  /** {@code null} stands for "the actor itself". */
  private static final List<Spec> TARGETS = List.of(
      ALICE,
      ADMIN_USER,
      sa("acme", "root_bot", Set.of(ADMIN), Set.of()),
      sa("acme/eng/api", "api_bot", Set.of(), Set.of("deploy")),
      sa("acme/eng/web", "web_bot", Set.of(), Set.of("deploy")),
      sa("acme/eng", "org_bot", Set.of(), Set.of("deploy")),
      sa("acme", "acct_bot", Set.of(), Set.of()),
      sa("acme/eng/api", "rich_bot", Set.of(), Set.of("deploy", "secrets")),
      sa("other", "other_bot", Set.of(), Set.of("deploy")),
      new Spec("ghost", "acme", PrincipalType.SERVICE_ACCOUNT, "acme/eng/api", Set.of(), Set.of("deploy"), false, true));

  private static List<Spec> everyone() {
    List<Spec> all = new ArrayList<>(ACTORS);
    for (Spec t : TARGETS) {
      if (t.exists() && all.stream().noneMatch(a -> a.name().equals(t.name()))) {
        all.add(t);
      }
    }
    return all;
  }

  // ---- the reference rule (the README's authorization table, restated)

  private enum Kind { MANAGE, VIEW_PRINCIPAL, MINT, IMPORT, EDIT_CREDENTIALS, REVOKE_CREDENTIALS, VIEW_CREDENTIALS }

  private static boolean within(String inner, String outer) {
    return inner.equals(outer) || inner.startsWith(outer + "/");
  }

  private static boolean holdsAllOf(Spec actor, Spec subject) {
    return actor.roles().containsAll(subject.roles()) && actor.permissions().containsAll(subject.permissions())
        && within(subject.scope(), actor.scope());
  }

  private static boolean has(Spec actor, String permission) {
    return actor.permissions().contains(permission);
  }

  private static boolean mayListPrincipals(Spec actor, String account) {
    return actor == SYSTEM || actor.enabled() && actor.account().equals(account)
        && (actor.roles().contains(ADMIN) || has(actor, MANAGE_USERS) || has(actor, MANAGE_SAS) || has(actor, MINT));
  }

  /** Whether {@code actor} may do {@code op} to {@code before}, turning it into {@code after} (for manage ops). */
  private static boolean allowed(Spec actor, Op op, Spec before, Spec after) {
    if (actor == SYSTEM) {
      return true;
    }
    if (!actor.enabled() || !actor.account().equals(after.account())) {
      return false;
    }
    boolean admin = actor.roles().contains(ADMIN);
    boolean self = actor.name().equals(after.name()) && actor.type() == after.type();
    boolean personal = after.isUser();
    switch (op.kind) {
      case VIEW_PRINCIPAL:
        return self || mayListPrincipals(actor, after.account());
      case MANAGE:
        return admin || has(actor, personal ? MANAGE_USERS : MANAGE_SAS)
            && (before == null || holdsAllOf(actor, before)) && holdsAllOf(actor, after);
      case MINT:
        return personal ? self : admin || has(actor, MINT) && holdsAllOf(actor, after);
      case IMPORT:
        return personal ? self && admin : admin;
      case EDIT_CREDENTIALS:
        return personal ? self : admin || (has(actor, MANAGE_SAS) || has(actor, MINT)) && holdsAllOf(actor, after);
      case REVOKE_CREDENTIALS:
        return personal ? self || admin : admin || (has(actor, MANAGE_SAS) || has(actor, MINT)) && holdsAllOf(actor, after);
      case VIEW_CREDENTIALS:
        return personal ? self || admin : admin || has(actor, MANAGE_SAS) || has(actor, MINT);
      default:
        throw new AssertionError(op);
    }
  }

  // ---- the operations

  @FunctionalInterface
  interface Call {
    Object run(TokenManager m, Actor actor, Spec target);
  }

  private enum Op {
    CREATE_PRINCIPAL(Kind.MANAGE, true, (m, a, t) -> t.isUser()
        ? m.createUser(a, new NewUser(PrincipalRef.user(t.account(), "n_" + t.name()), "New", "", t.roles(), t.permissions()))
        : m.createServiceAccount(a, new NewServiceAccount(Scope.parse(t.scope()), "n_" + t.name(), "New", "",
            t.roles(), t.permissions()))),
    GET_PRINCIPAL(Kind.VIEW_PRINCIPAL, false, (m, a, t) -> m.getPrincipal(a, t.ref())),
    RENAME_PRINCIPAL(Kind.MANAGE, true, (m, a, t) -> m.editPrincipal(a, t.ref(), PrincipalEdit.none().name("Renamed"))),
    GRANT_DEPLOY(Kind.MANAGE, true, (m, a, t) -> m.editPrincipal(a, t.ref(),
        PrincipalEdit.none().permissions(t.withPermission("deploy").permissions()))),
    GRANT_ADMIN_ROLE(Kind.MANAGE, true, (m, a, t) -> m.editPrincipal(a, t.ref(),
        PrincipalEdit.none().roles(t.withRole(ADMIN).roles()))),
    DISABLE(Kind.MANAGE, true, (m, a, t) -> m.setEnabled(a, t.ref(), false)),
    ENABLE(Kind.MANAGE, false, (m, a, t) -> m.setEnabled(a, t.ref(), true)), // already enabled: no write
    DELETE_PRINCIPAL(Kind.MANAGE, true, (m, a, t) -> {
      m.deletePrincipal(a, t.ref());
      return null;
    }),
    CREATE_KEY(Kind.MINT, true, (m, a, t) -> m.createApiKey(a, NewApiKey.of(t.ref(), "k2", "K2"))),
    ISSUE_TOKEN(Kind.MINT, true, (m, a, t) -> m.issueToken(a, NewToken.of(t.ref().apiKey("k"), "t2", "T2"))),
    ROTATE_TOKEN(Kind.MINT, true, (m, a, t) -> m.rotateToken(a, t.ref().apiKey("k").token("t"), Rotation.immediate())),
    IMPORT_TOKEN(Kind.IMPORT, true, (m, a, t) -> m.importToken(a, LegacyToken.of(t.ref().apiKey("k").token("old"),
        "Old", "legacyacct", "legacy_" + t.name(), LEGACY_HASH, Expiration.after(Duration.ofDays(1))))),
    EDIT_KEY(Kind.EDIT_CREDENTIALS, true, (m, a, t) -> m.editApiKey(a, t.ref().apiKey("k"), ApiKeyEdit.none().name("E"))),
    EDIT_TOKEN(Kind.EDIT_CREDENTIALS, true, (m, a, t) -> m.editToken(a, t.ref().apiKey("k").token("t"),
        TokenEdit.none().expiration(Expiration.after(Duration.ofDays(300))))),
    REVOKE_TOKEN(Kind.REVOKE_CREDENTIALS, true, (m, a, t) -> m.revokeToken(a, t.ref().apiKey("k").token("t"))),
    DELETE_TOKEN(Kind.REVOKE_CREDENTIALS, true, (m, a, t) -> {
      m.deleteToken(a, t.ref().apiKey("k").token("t"));
      return null;
    }),
    DELETE_KEY(Kind.REVOKE_CREDENTIALS, true, (m, a, t) -> {
      m.deleteApiKey(a, t.ref().apiKey("k"));
      return null;
    }),
    GET_KEY(Kind.VIEW_CREDENTIALS, false, (m, a, t) -> m.getApiKey(a, t.ref().apiKey("k"))),
    LIST_KEYS(Kind.VIEW_CREDENTIALS, false, (m, a, t) -> m.listApiKeys(a, t.ref(), PageRequest.first())),
    GET_TOKEN(Kind.VIEW_CREDENTIALS, false, (m, a, t) -> m.getToken(a, t.ref().apiKey("k").token("t"))),
    LIST_TOKENS(Kind.VIEW_CREDENTIALS, false, (m, a, t) -> m.listTokens(a, t.ref().apiKey("k"), PageRequest.first()));

    final Kind kind;
    final boolean writes;
    final Call call;

    Op(Kind kind, boolean writes, Call call) {
      this.kind = kind;
      this.writes = writes;
      this.call = call;
    }
  }

  // ---- the fixture

  /** A fresh store with every principal of the tables, each with key {@code k} holding token {@code t}. */
  private static final class Fixture implements AutoCloseable {
    final SimpleTokenStore store = new SimpleTokenStore();
    final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    final Latchkey latchkey;
    final TokenManager m;

    Fixture() {
      latchkey = Latchkey.builder().store(store).peppers(World.PEPPERS).tokenPrefix("acme")
          .clock(new MutableClock(World.START)).limits(Limits.defaults()).acceptLegacyTokens(true)
          .auditListener(audit::add).build();
      m = latchkey.manager();
      Actor system = Actor.system();
      m.createAccount(system, "acme", "Acme");
      m.createAccount(system, "other", "Other");
      for (Spec p : everyone()) {
        if (p.isUser()) {
          m.createUser(system, new NewUser(p.ref(), p.name(), "", p.roles(), p.permissions()));
        } else {
          m.createServiceAccount(system, new NewServiceAccount(Scope.parse(p.scope()), p.name(), p.name(), "",
              p.roles(), p.permissions()));
        }
        m.createApiKey(system, NewApiKey.of(p.ref(), "k", "K"));
        m.issueToken(system, NewToken.of(p.ref().apiKey("k"), "t", "T"));
        if (!p.enabled()) {
          m.setEnabled(system, p.ref(), false);
        }
      }
      audit.clear();
    }

    @Override
    public void close() {
      latchkey.close();
    }
  }

  private static String name(Spec actor) {
    return actor == SYSTEM ? "system" : actor.name();
  }

  /** "allowed", "denied" or "not found", from the reference rule. */
  private static String expectation(Spec actor, Spec target, Op op) {
    if (!target.exists() && op != Op.CREATE_PRINCIPAL) {
      // a missing principal is reported as missing only to those who may list principals anyway
      return mayListPrincipals(actor, target.account()) ? "not found" : "denied";
    }
    Spec after = op == Op.GRANT_DEPLOY ? target.withPermission("deploy")
        : op == Op.GRANT_ADMIN_ROLE ? target.withRole(ADMIN) : target;
    return allowed(actor, op, op == Op.CREATE_PRINCIPAL ? null : target, after) ? "allowed" : "denied";
  }

  private static void check(Spec actorSpec, Spec target, Op op) {
    String expected = expectation(actorSpec, target, op);
    String where = name(actorSpec) + " " + op + " on " + target.name() + ", expected " + expected + ": ";
    try (Fixture f = new Fixture()) {
      Actor actor = actorSpec == SYSTEM ? Actor.system() : Actor.principal(actorSpec.ref());
      List<Object> before = StoreSnapshot.of(f.store);
      Throwable thrown = catchThrowable(() -> op.call.run(f.m, actor, target));
      switch (expected) {
        case "allowed":
          assertThat(thrown).as(where + "no exception").isNull();
          if (op.writes) {
            assertThat(StoreSnapshot.of(f.store)).as(where + "the store changed").isNotEqualTo(before);
            assertThat(f.audit).as(where + "one audit event").hasSize(1);
          } else {
            assertThat(StoreSnapshot.of(f.store)).as(where + "the store is unchanged").isEqualTo(before);
          }
          return;
        case "not found":
          assertThat(thrown).as(where + "NotFoundException").isInstanceOf(NotFoundException.class);
          break;
        default:
          assertThat(thrown).as(where + "PermissionDeniedException").isInstanceOf(PermissionDeniedException.class);
      }
      assertThat(StoreSnapshot.of(f.store)).as(where + "the store is unchanged").isEqualTo(before);
      assertThat(f.audit).as(where + "no audit event").isEmpty();
    }
  }

  private static Spec actor(String name) {
    return ACTORS.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }

  private static Spec target(String name) {
    return TARGETS.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Cells written out by hand from the issue, so that a reference rule that drifted towards the
   * implementation would be caught; and a check that the matrix exercises every outcome often.
   */
  @Test
  void theReferenceRuleAgreesWithTheIssueAndTheMatrixIsNotOneSided() {
    // the escalation chain: a project-scope service-account manager and the admin service account
    assertThat(expectation(actor("sam_proj"), target("root_bot"), Op.CREATE_KEY)).isEqualTo("denied");
    assertThat(expectation(actor("sam_proj"), target("root_bot"), Op.ISSUE_TOKEN)).isEqualTo("denied");
    assertThat(expectation(actor("mint_proj"), target("root_bot"), Op.ROTATE_TOKEN)).isEqualTo("denied");
    // the lockout
    assertThat(expectation(actor("um"), ADMIN_USER, Op.DISABLE)).isEqualTo("denied");
    assertThat(expectation(actor("um"), ADMIN_USER, Op.DELETE_PRINCIPAL)).isEqualTo("denied");
    // scope: the project actor reaches its own project only
    assertThat(expectation(actor("mint_proj"), target("api_bot"), Op.ISSUE_TOKEN)).isEqualTo("allowed");
    assertThat(expectation(actor("mint_proj"), target("web_bot"), Op.ISSUE_TOKEN)).isEqualTo("denied");
    assertThat(expectation(actor("sam_proj"), target("org_bot"), Op.DISABLE)).isEqualTo("denied");
    assertThat(expectation(actor("sam_org"), target("web_bot"), Op.DISABLE)).isEqualTo("allowed");
    // managing and minting are separate
    assertThat(expectation(actor("sam_acct"), target("api_bot"), Op.CREATE_KEY)).isEqualTo("denied");
    assertThat(expectation(actor("mint_acct"), target("api_bot"), Op.DISABLE)).isEqualTo("denied");
    assertThat(expectation(actor("mint_acct"), target("api_bot"), Op.REVOKE_TOKEN)).isEqualTo("allowed");
    // no granting what one does not hold; no acting on who holds more
    assertThat(expectation(actor("um"), ALICE, Op.GRANT_DEPLOY)).isEqualTo("denied");
    assertThat(expectation(actor("um_rich"), ALICE, Op.RENAME_PRINCIPAL)).isEqualTo("allowed");
    assertThat(expectation(actor("um_rich"), ALICE, Op.GRANT_ADMIN_ROLE)).isEqualTo("denied");
    assertThat(expectation(actor("um_rich"), actor("um_rich"), Op.GRANT_ADMIN_ROLE)).isEqualTo("denied");
    assertThat(expectation(actor("sam_acct"), target("acct_bot"), Op.GRANT_ADMIN_ROLE)).isEqualTo("denied");
    assertThat(expectation(actor("ops"), target("rich_bot"), Op.ISSUE_TOKEN)).isEqualTo("denied");
    // personal credentials: minted and edited by their user only; admins read, revoke and delete
    assertThat(expectation(ADMIN_USER, ALICE, Op.ISSUE_TOKEN)).isEqualTo("denied");
    assertThat(expectation(ADMIN_USER, ALICE, Op.EDIT_TOKEN)).isEqualTo("denied");
    assertThat(expectation(ADMIN_USER, ALICE, Op.REVOKE_TOKEN)).isEqualTo("allowed");
    assertThat(expectation(ADMIN_USER, ALICE, Op.LIST_TOKENS)).isEqualTo("allowed");
    assertThat(expectation(ALICE, ALICE, Op.ROTATE_TOKEN)).isEqualTo("allowed");
    assertThat(expectation(SYSTEM, ALICE, Op.ISSUE_TOKEN)).isEqualTo("allowed");
    // import: the system actor and account admins
    assertThat(expectation(ADMIN_USER, target("api_bot"), Op.IMPORT_TOKEN)).isEqualTo("allowed");
    assertThat(expectation(actor("ops"), target("api_bot"), Op.IMPORT_TOKEN)).isEqualTo("denied");
    assertThat(expectation(ALICE, ALICE, Op.IMPORT_TOKEN)).isEqualTo("denied");
    // other accounts, disabled actors
    assertThat(expectation(actor("foreign_admin"), target("api_bot"), Op.GET_PRINCIPAL)).isEqualTo("denied");
    assertThat(expectation(actor("disabled_admin"), target("api_bot"), Op.GET_PRINCIPAL)).isEqualTo("denied");
    assertThat(expectation(ADMIN_USER, target("other_bot"), Op.DISABLE)).isEqualTo("denied");

    Map<String, Integer> counts = new TreeMap<>();
    for (Spec a : allActors()) {
      for (Spec t : targetsFor(a)) {
        for (Op op : Op.values()) {
          counts.merge(expectation(a, t, op), 1, Integer::sum);
        }
      }
    }
    assertThat(counts.get("allowed")).isGreaterThan(700);
    assertThat(counts.get("denied")).isGreaterThan(1500);
    assertThat(counts.get("not found")).isGreaterThan(50);
  }

  private static List<Spec> allActors() {
    List<Spec> actors = new ArrayList<>();
    actors.add(SYSTEM);
    actors.addAll(ACTORS);
    return actors;
  }

  /** Every target, with the actor itself in front ("self"; not for the system actor). */
  private static List<Spec> targetsFor(Spec actor) {
    List<Spec> targets = new ArrayList<>();
    if (actor != SYSTEM) {
      targets.add(actor);
    }
    targets.addAll(TARGETS);
    return targets;
  }

  @TestFactory
  Stream<DynamicNode> everyOperationByEveryActorOnEveryTarget() {
    return allActors().stream().map(actor -> DynamicContainer.dynamicContainer(name(actor),
        targetsFor(actor).stream().map(target -> DynamicContainer.dynamicContainer("on " + target.name(),
            Stream.of(Op.values()).map(op -> DynamicTest.dynamicTest(op + " → " + expectation(actor, target, op),
                () -> check(actor, target, op)))))));
  }

  // ---- operations on no particular principal

  private enum AccountOp {
    LIST_PRINCIPALS((m, a) -> m.listPrincipals(a, "acme", PrincipalType.SERVICE_ACCOUNT, PageRequest.first())),
    GET_ACCOUNT((m, a) -> m.getAccount(a, "acme")),
    CREATE_ACCOUNT((m, a) -> m.createAccount(a, "third", "Third")),
    LIST_ACCOUNTS((m, a) -> m.listAccounts(a, PageRequest.first())),
    DELETE_ACCOUNT((m, a) -> {
      m.deleteAccount(a, "acme");
      return null;
    }),
    LIST_EXPIRING((m, a) -> m.listTokensExpiringBetween(a, World.START, World.START.plus(Duration.ofDays(400)),
        PageRequest.first())),
    HASH_USAGE((m, a) -> m.hashUsage(a));

    final BiFunction<TokenManager, Actor, Object> call;

    AccountOp(BiFunction<TokenManager, Actor, Object> call) {
      this.call = call;
    }
  }

  private static boolean allowed(Spec actor, AccountOp op) {
    if (actor == SYSTEM) {
      return true;
    }
    switch (op) {
      case LIST_PRINCIPALS:
        return mayListPrincipals(actor, "acme");
      case GET_ACCOUNT:
        return actor.enabled() && actor.account().equals("acme");
      default:
        return false; // reserved to the system actor
    }
  }

  @TestFactory
  Stream<DynamicNode> accountWideOperations() {
    return allActors().stream().flatMap(actor -> Stream.of(AccountOp.values()).map(op -> {
      String expected = allowed(actor, op) ? "allowed" : "denied";
      String where = name(actor) + " " + op + ", expected " + expected + ": ";
      return DynamicTest.dynamicTest(name(actor) + " " + op + " → " + expected, () -> {
        try (Fixture f = new Fixture()) {
          Actor a = actor == SYSTEM ? Actor.system() : Actor.principal(actor.ref());
          List<Object> before = StoreSnapshot.of(f.store);
          Throwable thrown = catchThrowable(() -> op.call.apply(f.m, a));
          if (allowed(actor, op)) {
            assertThat(thrown).as(where + "no exception").isNull();
          } else {
            assertThat(thrown).as(where + "PermissionDeniedException").isInstanceOf(PermissionDeniedException.class);
            assertThat(StoreSnapshot.of(f.store)).as(where + "the store is unchanged").isEqualTo(before);
            assertThat(f.audit).as(where + "no audit event").isEmpty();
          }
        }
      });
    }));
  }
}
