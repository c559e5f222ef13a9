package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * Stateful properties (jqwik {@link ActionChain}): random sequences of management calls by random
 * actors, clock moves and cache drops on one Latchkey instance, each checked against a small model
 * of who may do what, which token values should verify, and why not.
 *
 * <p>Actions: issue (also under a key that must first be created, to a disabled owner, and with a
 * duplicate identifier), rotate (with and without grace, with and without a new expiry, with the
 * current, a stale or no expected version, with a grace beyond the limit), revoke, delete a token,
 * delete a key, disable and enable a principal, set a principal's roles (from names that include
 * some spelled like permissions, and the account admin role) or its permissions (including the
 * management and minting permissions), edit a token's expiry (including into the past and beyond
 * the maximum lifetime) or its name, advance the clock (also to exactly, or 1 ms before, a token's
 * expiry or grace end), drop the verifier's cache.
 *
 * <p>Actors: the system actor, and principals of the account: an account admin, a user with the
 * user-management permission, a user and service accounts at account, org and project scope with
 * the service-account management and minting permissions in several combinations, and plain users
 * and service accounts. Every one of them can be disabled and can have its roles and permissions
 * edited along the way, so who covers whom changes during a chain. Whether a call is allowed is
 * decided by {@link Session#allowed}, the README's authorization rules stated over the model's own
 * state (not by calling {@link AccessPolicy} or {@link Scope}); an allowed call must succeed (or
 * fail for the model's non-policy reason), a denied one must throw {@link PermissionDeniedException}
 * and change nothing.
 *
 * <p>After every action: every token value ever issued verifies exactly as the model says (the
 * principal and token for a valid one, with the principal's current roles and permissions as two
 * separate sets, so a principal edit must show at once; the exact {@link RejectReason} otherwise),
 * and the store agrees with the model: each principal's roles, permissions and enabled flag; listed
 * tokens per key with status, version, expiry and grace end; listed keys per owner; usable-token
 * counts; nothing left of deleted tokens or keys; one audit event per mutation that changed
 * something (none for a denied call).
 */
class ModelProperties {
  /** Background tasks of every session on one shared thread; each session cancels its own on close. */
  private static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "model-properties-background");
    t.setDaemon(true);
    return t;
  });

  private final List<Session> open = new CopyOnWriteArrayList<>();

  @AfterTry
  void closeSessions() {
    for (Session s : open) {
      s.w.close();
    }
    open.clear();
  }

  @AfterProperty
  void closeLeftovers() {
    closeSessions();
  }

  @Property(tries = 300)
  void verificationAndTheStoreAgreeWithTheModel(@ForAll("chains") ActionChain<Session> chain) {
    chain.withInvariant("every value verifies as the model says", Session::checkVerification)
        .withInvariant("the store agrees with the model", Session::checkStore)
        .run();
    // The chains must put the rules to work: principals, not only the system actor, both allowed
    // and denied, for each kind of operation (checked over all tries, after the last).
    Statistics.label(DECISIONS).coverage(c -> {
      for (Kind kind : Kind.values()) {
        c.check(kind, true).count(n -> n > 0);
        c.check(kind, false).count(n -> n > 0);
      }
    });
  }

  private static final String DECISIONS = "decisions on calls by principals";

  @Provide
  Arbitrary<ActionChain<Session>> chains() {
    return ActionChain.<Session>startWith(() -> {
          Session s = new Session();
          open.add(s);
          return s;
        })
        .withAction(6, issue())
        .withAction(1, issueDuplicate())
        .withAction(4, rotate())
        .withAction(2, revoke())
        .withAction(2, deleteToken())
        .withAction(1, deleteKey())
        .withAction(2, setEnabled())
        .withAction(2, editRoles())
        .withAction(3, editPermissions())
        .withAction(2, editExpiry())
        .withAction(1, editName())
        .withAction(3, advanceClock())
        .withAction(2, advanceToBoundary())
        .withAction(1, dropCache())
        .withMaxTransformations(40);
  }

  // ---------------------------------------------------------------------------------------------
  // The account: principals, who owns tokens, who acts

  static final String SYSTEM = "system";
  static final String ADMIN_ROLE = "account_admin";
  static final String MANAGE_USERS = "latchkey.users.manage";
  static final String MANAGE_SAS = "latchkey.service_accounts.manage";
  static final String MINT = "latchkey.service_accounts.mint";

  /** Principals that hold tokens: two users, two service accounts at project scope. */
  private static final List<String> OWNERS = List.of("alice", "bob", "ci", "apibot");
  private static final List<String> PRINCIPALS =
      List.of("admin", "ops", "umgr", "alice", "bob", "ci", "engbot", "apibot", "webbot");
  private static final List<String> KEY_IDS = List.of("k1", "k2");

  /** The system actor about a third of the time, so that chains build up tokens for the others to act on. */
  private static Arbitrary<String> actors() {
    List<Tuple.Tuple2<Integer, String>> weighted = new ArrayList<>();
    weighted.add(Tuple.of(4, SYSTEM));
    PRINCIPALS.forEach(p -> weighted.add(Tuple.of(1, p)));
    return Arbitraries.frequency(weighted);
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  static Action.Independent<Session> issue() {
    Arbitrary<Optional<Duration>> lifetimes = Arbitraries.of(
        Optional.empty(), Optional.of(Duration.ofMinutes(10)), Optional.of(Duration.ofHours(1)), Optional.of(Duration.ofDays(1)));
    return () -> Combinators.combine(actors(), Arbitraries.of(OWNERS), Arbitraries.of(KEY_IDS), lifetimes)
        .as((actor, owner, key, lifetime) -> Transformer.mutate(
            actor + ": issue under " + owner + "/" + key + " expiring " + lifetime.map(Duration::toString).orElse("by default"),
            s -> s.issue(actor, owner, key, lifetime)));
  }

  static Action.Dependent<Session> issueDuplicate() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return !s.liveTokens().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return Arbitraries.of(s.liveTokens()).map(t -> Transformer.mutate("issue again as " + t, x -> x.issueDuplicate(t)));
      }
    };
  }

  /** Expected version to pass to {@code Rotation.ifVersion}. */
  enum VersionCheck { NONE, CURRENT, STALE }

  static Action.Dependent<Session> rotate() {
    Arbitrary<Duration> graces = Arbitraries.of(Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5),
        Duration.ofHours(1), Duration.ofDays(8));
    Arbitrary<Optional<Duration>> newLifetimes = Arbitraries.of(Optional.empty(), Optional.empty(),
        Optional.of(Duration.ofMinutes(2)), Optional.of(Duration.ofHours(2)));
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return !s.liveTokens().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return Combinators.combine(actors(), Arbitraries.of(s.liveTokens()), graces, newLifetimes,
                Arbitraries.of(VersionCheck.class))
            .as((actor, t, grace, lifetime, version) -> Transformer.mutate(
                actor + ": rotate " + t + " grace " + grace + lifetime.map(l -> " new lifetime " + l).orElse("")
                    + " version " + version,
                x -> x.rotate(actor, t, grace, lifetime, version)));
      }
    };
  }

  @FunctionalInterface
  interface TokenAction {
    void apply(Session s, String actor, TokenRef token);
  }

  static Action.Dependent<Session> revoke() {
    return onLiveToken("revoke", Session::revoke);
  }

  static Action.Dependent<Session> deleteToken() {
    return onLiveToken("delete", Session::deleteToken);
  }

  static Action.Dependent<Session> editName() {
    return onLiveToken("rename", Session::rename);
  }

  private static Action.Dependent<Session> onLiveToken(String verb, TokenAction body) {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return !s.liveTokens().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return Combinators.combine(actors(), Arbitraries.of(s.liveTokens()))
            .as((actor, t) -> Transformer.mutate(actor + ": " + verb + " " + t, x -> body.apply(x, actor, t)));
      }
    };
  }

  static Action.Dependent<Session> deleteKey() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return !s.keys.isEmpty();
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return Combinators.combine(actors(), Arbitraries.of(List.copyOf(s.keys.keySet())))
            .as((actor, k) -> Transformer.mutate(actor + ": delete key " + k, x -> x.deleteKey(actor, k)));
      }
    };
  }

  static Action.Independent<Session> setEnabled() {
    // enabling twice as often as disabling, so that chains do not end with everyone disabled
    return () -> Combinators.combine(actors(), Arbitraries.of(PRINCIPALS), Arbitraries.of(true, true, false))
        .as((actor, subject, enabled) -> Transformer.mutate(actor + ": " + (enabled ? "enable " : "disable ") + subject,
            s -> s.setEnabled(actor, subject, enabled)));
  }

  /** Role names to give principals: "read" and "deploy" are also permissions some principals hold. */
  private static final List<String> ROLE_NAMES = List.of("deployer", "auditor", "read", "deploy", ADMIN_ROLE);

  static Action.Independent<Session> editRoles() {
    // the admin role is offered in one edit in four: otherwise everyone would soon be an admin
    Arbitrary<Set<String>> ordinary = Arbitraries.subsetOf(ROLE_NAMES.subList(0, 4));
    Arbitrary<Set<String>> roles = Arbitraries.frequencyOf(Tuple.of(3, ordinary), Tuple.of(1, Arbitraries.subsetOf(ROLE_NAMES)));
    return () -> Combinators.combine(actors(), Arbitraries.of(PRINCIPALS), roles)
        .as((actor, subject, r) -> Transformer.mutate(actor + ": set the roles of " + subject + " to " + new TreeSet<>(r),
            s -> s.editGrants(actor, subject, Optional.of(r), Optional.empty())));
  }

  /** Permission names to give principals: "auditor" is also a role some principals hold. */
  private static final List<String> PERMISSION_NAMES = List.of("read", "deploy", "auditor", MANAGE_USERS, MANAGE_SAS, MINT);

  static Action.Independent<Session> editPermissions() {
    return () -> Combinators.combine(actors(), Arbitraries.of(PRINCIPALS), Arbitraries.subsetOf(PERMISSION_NAMES))
        .as((actor, subject, p) -> Transformer.mutate(
            actor + ": set the permissions of " + subject + " to " + new TreeSet<>(p),
            s -> s.editGrants(actor, subject, Optional.empty(), Optional.of(p))));
  }

  /** Expiry edits: lifetimes from now, and two the limits refuse. */
  enum ExpiryEdit { MINUTE, HOUR, TWO_DAYS, PAST, BEYOND_MAXIMUM }

  static Action.Dependent<Session> editExpiry() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return !s.liveTokens().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return Combinators.combine(actors(), Arbitraries.of(s.liveTokens()), Arbitraries.of(ExpiryEdit.class))
            .as((actor, t, e) -> Transformer.mutate(actor + ": edit expiry of " + t + " to " + e,
                x -> x.editExpiry(actor, t, e)));
      }
    };
  }

  static Action.Independent<Session> advanceClock() {
    return () -> Arbitraries.of(Duration.ofMillis(1), Duration.ofMillis(999), Duration.ofSeconds(2), Duration.ofSeconds(31),
            Duration.ofMinutes(3), Duration.ofMinutes(61), Duration.ofHours(20))
        .map(d -> Transformer.mutate("advance the clock by " + d, s -> s.w.clock.advance(d)));
  }

  /** To exactly, or one millisecond before, an instant where a token's expiry or grace ends: the edges of the rules. */
  static Action.Dependent<Session> advanceToBoundary() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return !s.boundaries().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return Combinators.combine(Arbitraries.of(s.boundaries()), Arbitraries.of(0L, 1L))
            .as((at, before) -> Transformer.mutate("set the clock to " + (before == 1 ? "1 ms before " : "") + at,
                x -> x.w.clock.set(Stream.of(at.minusMillis(before), x.now()).max(Instant::compareTo).orElseThrow())));
      }
    };
  }

  static Action.Independent<Session> dropCache() {
    return () -> Arbitraries.just(Transformer.mutate("drop the verifier's cache", s -> s.w.latchkey.invalidateCache()));
  }

  // ---------------------------------------------------------------------------------------------
  // The model

  /** A principal as the model sees it. */
  static final class PrincipalModel {
    final PrincipalRef ref;
    /** Account, then org and project if any: a scope lies within another iff the other's path is a prefix of its own. */
    final List<String> scopePath;
    Set<String> roles;
    Set<String> permissions;
    boolean enabled = true;

    PrincipalModel(Principal p) {
      this(p.ref(), List.of(p.scope().toString().split("/")), p.roles(), p.permissions());
    }

    private PrincipalModel(PrincipalRef ref, List<String> scopePath, Set<String> roles, Set<String> permissions) {
      this.ref = ref;
      this.scopePath = scopePath;
      this.roles = roles;
      this.permissions = permissions;
    }

    /** This principal as an edit would leave it. */
    PrincipalModel granted(Set<String> newRoles, Set<String> newPermissions) {
      return new PrincipalModel(ref, scopePath, Set.copyOf(newRoles), Set.copyOf(newPermissions));
    }

    boolean isUser() {
      return ref.type() == PrincipalType.USER;
    }
  }

  static final class TokenModel {
    final TokenRef ref;
    final String lookupId;
    TokenStatus status = TokenStatus.ACTIVE;
    @Nullable Instant expiresAt; // null: never
    String current;
    long version = 1;
    boolean deleted;

    // The last rotation: the value it replaced, when, and with what grace; previous is null before any.
    @Nullable String previous;
    @Nullable Instant rotatedAt;
    Duration grace = Duration.ZERO;
    /** The expiry the token had just before the last rotation, the one the rotation gave it, and each set by a later edit. */
    final List<@Nullable Instant> expiriesSinceRotation = new ArrayList<>();
    /** When the last rotation or expiry edit happened: the last time the store's grace end was written. */
    @Nullable Instant lastExpiryChange;

    TokenModel(TokenRef ref, String lookupId, @Nullable Instant expiresAt, String value) {
      this.ref = ref;
      this.lookupId = lookupId;
      this.expiresAt = expiresAt;
      this.current = value;
    }

    /**
     * The grace rule, as the README states it and independently of how the manager computes it: the
     * value a rotation replaced stays valid until the earliest of (rotation time + grace), the
     * token's expiry at the rotation, the expiry the rotation gave it, and every expiry an edit gave
     * it since; never with a zero grace, never after a revocation, and only until the next rotation
     * (which replaces it as "previous").
     */
    @Nullable Instant graceEnd() {
      if (previous == null || rotatedAt == null || grace.isZero() || status == TokenStatus.REVOKED) {
        return null;
      }
      Instant end = rotatedAt.plus(grace);
      for (Instant expiry : expiriesSinceRotation) {
        if (expiry != null && expiry.isBefore(end)) {
          end = expiry;
        }
      }
      return end;
    }

    /** The previous value is accepted strictly before the grace end, as a token strictly before its expiry. */
    boolean previousAcceptedAt(Instant now) {
      Instant end = graceEnd();
      return end != null && now.isBefore(end);
    }

    /**
     * What the store shows as the grace end: the grace end, if it was still ahead when it was last
     * written (at the last rotation or expiry edit). The end only moves earlier and time only moves
     * on, so once a write found it passed, no later write can find it ahead.
     */
    @Nullable Instant storedGraceEnd() {
      Instant end = graceEnd();
      return end != null && lastExpiryChange != null && end.isAfter(lastExpiryChange) ? end : null;
    }
  }

  record Value(String value, TokenModel token) {}

  /** The operations the access rules tell apart. */
  enum Kind { MANAGE, MINT, EDIT_CREDENTIALS, REVOKE_CREDENTIALS }

  static final class Session {
    final World w = new World(b -> b.scheduler(SCHEDULER));
    final Map<String, PrincipalModel> principals = new LinkedHashMap<>();
    /** Existing keys and their tokens (deleted tokens stay in {@link #values} only). */
    final Map<ApiKeyRef, Map<String, TokenModel>> keys = new LinkedHashMap<>();
    final List<Value> values = new ArrayList<>();
    int expectedAuditEvents;
    private int nextId;

    Session() {
      Actor sys = w.system;
      Principal umgr = w.m.createUser(sys, NewUser.of("acme", "umgr", "User manager")
          .withPermissions(Set.of(MANAGE_USERS, "read")));
      Principal engbot = w.m.createServiceAccount(sys, NewServiceAccount.of(Scope.org("acme", "eng"), "engbot", "Eng bot")
          .withRoles(Set.of("auditor", "read", "deployer")).withPermissions(Set.of(MANAGE_SAS, MINT, "deploy", "read")));
      Principal apibot = w.m.createServiceAccount(sys, NewServiceAccount.of(Scope.project("acme", "eng", "api"), "apibot",
          "API bot").withPermissions(Set.of(MINT, "read")));
      Principal webbot = w.m.createServiceAccount(sys, NewServiceAccount.of(Scope.project("acme", "eng", "web"), "webbot",
          "Web bot").withRoles(Set.of("auditor", "read", "deployer")).withPermissions(Set.of(MANAGE_SAS, MINT, "deploy", "read")));
      for (Principal p : List.of(w.admin, w.ops, umgr, w.alice, w.bob, w.ci, engbot, apibot, webbot)) {
        principals.put(p.ref().id(), new PrincipalModel(p));
      }
      // roles from the start, so that every chain verifies principals that have some
      editGrants(SYSTEM, "alice", Optional.of(Set.of("deployer")), Optional.empty());
      editGrants(SYSTEM, "ci", Optional.of(Set.of("auditor", "read")), Optional.empty());
      expectedAuditEvents = w.audit.size();
    }

    List<TokenRef> liveTokens() {
      return keys.values().stream().flatMap(m -> m.values().stream()).map(t -> t.ref).collect(Collectors.toList());
    }

    /** Expiries and grace ends of existing tokens that lie ahead. */
    List<Instant> boundaries() {
      Instant now = now();
      return keys.values().stream().flatMap(m -> m.values().stream())
          .flatMap(t -> Stream.of(t.expiresAt, t.graceEnd()))
          .filter(java.util.Objects::nonNull)
          .filter(now::isBefore)
          .distinct()
          .collect(Collectors.toList());
    }

    private TokenModel token(TokenRef ref) {
      return keys.get(ref.apiKey()).get(ref.id());
    }

    private PrincipalModel principal(PrincipalRef ref) {
      return principals.get(ref.id());
    }

    Instant now() {
      return w.clock.instant();
    }

    private boolean expired(TokenModel t) {
      return t.expiresAt != null && !now().isBefore(t.expiresAt);
    }

    private Actor actor(String name) {
      return name.equals(SYSTEM) ? Actor.system() : Actor.principal(principals.get(name).ref);
    }

    // ---- the rules

    /**
     * Whether {@code actorName} may perform an operation of {@code kind} on {@code subject} (for
     * {@link Kind#MANAGE}, turning it into {@code after}). The README's "Authorization" section,
     * restated over this model's sets and scope paths:
     *
     * <ul>
     *   <li>the system actor may do everything; any other actor must be enabled;
     *   <li>an account admin may do everything in its account, except minting or editing another
     *       user's personal keys and tokens;
     *   <li>a user's keys and tokens are minted and edited only by that user; the user and account
     *       admins may revoke and delete them;
     *   <li>anyone else needs the permission for the operation (managing users; managing service
     *       accounts; minting service-account credentials; either service-account permission to
     *       edit, revoke or delete service-account credentials) and must hold every role and every
     *       permission of the principal, at a scope that is the principal's or encloses it, both
     *       as the principal is and as a management call would leave it.
     * </ul>
     */
    boolean allowed(String actorName, Kind kind, PrincipalModel subject, PrincipalModel after) {
      if (actorName.equals(SYSTEM)) {
        return true;
      }
      boolean result = decide(principals.get(actorName), kind, subject, after);
      Statistics.label(DECISIONS).collect(kind, result);
      return result;
    }

    private static boolean decide(PrincipalModel a, Kind kind, PrincipalModel subject, PrincipalModel after) {
      if (!a.enabled) {
        return false;
      }
      boolean admin = a.roles.contains(ADMIN_ROLE);
      boolean itself = a.ref.equals(subject.ref);
      boolean serviceAccountRights = a.permissions.contains(MANAGE_SAS) || a.permissions.contains(MINT);
      switch (kind) {
        case MANAGE:
          return admin || a.permissions.contains(subject.isUser() ? MANAGE_USERS : MANAGE_SAS)
              && holdsAllOf(a, subject) && holdsAllOf(a, after);
        case MINT:
          return subject.isUser() ? itself : admin || a.permissions.contains(MINT) && holdsAllOf(a, subject);
        case EDIT_CREDENTIALS:
          return subject.isUser() ? itself : admin || serviceAccountRights && holdsAllOf(a, subject);
        case REVOKE_CREDENTIALS:
          return subject.isUser() ? itself || admin : admin || serviceAccountRights && holdsAllOf(a, subject);
        default:
          throw new AssertionError(kind);
      }
    }

    private static boolean holdsAllOf(PrincipalModel a, PrincipalModel s) {
      return a.roles.containsAll(s.roles) && a.permissions.containsAll(s.permissions)
          && s.scopePath.size() >= a.scopePath.size() && s.scopePath.subList(0, a.scopePath.size()).equals(a.scopePath);
    }

    /** If the rules deny the call: checks that it is refused (then nothing happened) and returns true. */
    private boolean deniedAsExpected(String actor, Kind kind, PrincipalModel subject, PrincipalModel after, Runnable call) {
      if (allowed(actor, kind, subject, after)) {
        return false;
      }
      assertThat(catchThrowable(call::run)).as("%s may not %s %s", actor, kind, subject.ref)
          .isInstanceOf(PermissionDeniedException.class);
      return true;
    }

    // ---- actions

    void issue(String actorName, String ownerId, String keyId, Optional<Duration> lifetime) {
      Actor actor = actor(actorName);
      PrincipalModel owner = principals.get(ownerId);
      ApiKeyRef key = owner.ref.apiKey(keyId);
      if (!keys.containsKey(key)) {
        NewApiKey newKey = NewApiKey.of(owner.ref, keyId, "Key " + keyId);
        if (deniedAsExpected(actorName, Kind.MINT, owner, owner, () -> w.m.createApiKey(actor, newKey))) {
          return;
        }
        ApiKey created = w.m.createApiKey(actor, newKey);
        assertThat(created.ref()).isEqualTo(key);
        keys.put(key, new LinkedHashMap<>());
        expectedAuditEvents++;
      }
      NewToken request = NewToken.of(key, "t" + (++nextId), "Token " + nextId)
          .expiring(lifetime.map(Expiration::after).orElse(Expiration.defaultLifetime()));
      if (deniedAsExpected(actorName, Kind.MINT, owner, owner, () -> w.m.issueToken(actor, request))) {
        return;
      }
      if (!owner.enabled) {
        assertThatThrownBy(() -> w.m.issueToken(actor, request)).isInstanceOf(ConflictException.class);
        return;
      }
      IssuedToken issued = w.m.issueToken(actor, request);
      Instant expected = now().plus(lifetime.orElse(Limits.defaults().defaultTokenLifetime()));
      assertThat(issued.token().expiresAt()).isEqualTo(expected);
      assertThat(issued.token().version()).isEqualTo(1);
      assertThat(issued.token().status()).isEqualTo(TokenStatus.ACTIVE);
      TokenModel t = new TokenModel(request.ref(), issued.token().lookupId(), issued.token().expiresAt(), issued.value().reveal());
      keys.get(key).put(t.ref.id(), t);
      values.add(new Value(t.current, t));
      expectedAuditEvents++;
    }

    void issueDuplicate(TokenRef ref) {
      assertThatThrownBy(() -> w.m.issueToken(w.system, NewToken.of(ref.apiKey(), ref.id(), "Again")))
          .isInstanceOf(ConflictException.class);
    }

    void rotate(String actorName, TokenRef ref, Duration grace, Optional<Duration> newLifetime, VersionCheck check) {
      Actor actor = actor(actorName);
      TokenModel t = token(ref);
      Rotation rotation = Rotation.withGrace(grace);
      if (newLifetime.isPresent()) {
        rotation = rotation.expiring(Expiration.after(newLifetime.get()));
      }
      if (check == VersionCheck.CURRENT) {
        rotation = rotation.ifVersion(t.version);
      } else if (check == VersionCheck.STALE) {
        rotation = rotation.ifVersion(t.version - 1);
      }
      Rotation r = rotation;
      PrincipalModel owner = principal(ref.owner());
      if (deniedAsExpected(actorName, Kind.MINT, owner, owner, () -> w.m.rotateToken(actor, ref, r))) {
        return;
      }
      if (grace.compareTo(Limits.defaults().maxRotationGrace()) > 0) {
        assertThatThrownBy(() -> w.m.rotateToken(actor, ref, r)).isInstanceOf(InvalidArgumentException.class);
        return;
      }
      if (check == VersionCheck.STALE || t.status == TokenStatus.REVOKED || expired(t)) {
        assertThatThrownBy(() -> w.m.rotateToken(actor, ref, r)).isInstanceOf(ConflictException.class);
        return;
      }
      IssuedToken rotated = w.m.rotateToken(actor, ref, r);
      Instant now = now();
      t.previous = t.current;
      t.rotatedAt = now;
      t.grace = grace;
      t.expiriesSinceRotation.clear();
      t.expiriesSinceRotation.add(t.expiresAt);
      if (newLifetime.isPresent()) {
        t.expiresAt = now.plus(newLifetime.get());
      }
      t.expiriesSinceRotation.add(t.expiresAt);
      t.lastExpiryChange = now;
      t.current = rotated.value().reveal();
      t.version++;
      assertThat(rotated.token().version()).isEqualTo(t.version);
      assertThat(rotated.token().expiresAt()).isEqualTo(t.expiresAt);
      assertThat(rotated.token().previousValidUntil()).as("grace end").isEqualTo(t.storedGraceEnd());
      assertThat(rotated.token().lookupId()).isEqualTo(t.lookupId);
      values.add(new Value(t.current, t));
      expectedAuditEvents++;
    }

    void revoke(String actorName, TokenRef ref) {
      Actor actor = actor(actorName);
      TokenModel t = token(ref);
      PrincipalModel owner = principal(ref.owner());
      if (deniedAsExpected(actorName, Kind.REVOKE_CREDENTIALS, owner, owner, () -> w.m.revokeToken(actor, ref))) {
        return;
      }
      Token after = w.m.revokeToken(actor, ref);
      if (t.status != TokenStatus.REVOKED) {
        t.status = TokenStatus.REVOKED;
        t.version++;
        expectedAuditEvents++;
      }
      assertThat(after.status()).isEqualTo(TokenStatus.REVOKED);
      assertThat(after.version()).isEqualTo(t.version);
    }

    void deleteToken(String actorName, TokenRef ref) {
      Actor actor = actor(actorName);
      PrincipalModel owner = principal(ref.owner());
      if (deniedAsExpected(actorName, Kind.REVOKE_CREDENTIALS, owner, owner, () -> w.m.deleteToken(actor, ref))) {
        return;
      }
      TokenModel t = keys.get(ref.apiKey()).remove(ref.id());
      w.m.deleteToken(actor, ref);
      t.deleted = true;
      expectedAuditEvents++;
    }

    void deleteKey(String actorName, ApiKeyRef key) {
      Actor actor = actor(actorName);
      PrincipalModel owner = principal(key.owner());
      if (deniedAsExpected(actorName, Kind.REVOKE_CREDENTIALS, owner, owner, () -> w.m.deleteApiKey(actor, key))) {
        return;
      }
      Map<String, TokenModel> tokens = keys.remove(key);
      w.m.deleteApiKey(actor, key);
      tokens.values().forEach(t -> t.deleted = true);
      expectedAuditEvents++;
    }

    void setEnabled(String actorName, String subjectId, boolean on) {
      Actor actor = actor(actorName);
      PrincipalModel subject = principals.get(subjectId);
      if (deniedAsExpected(actorName, Kind.MANAGE, subject, subject, () -> w.m.setEnabled(actor, subject.ref, on))) {
        return;
      }
      Principal p = w.m.setEnabled(actor, subject.ref, on);
      assertThat(p.enabled()).isEqualTo(on);
      if (subject.enabled != on) {
        subject.enabled = on;
        expectedAuditEvents++;
      }
    }

    /** Sets the roles or the permissions (whichever is present) of a principal. */
    void editGrants(String actorName, String subjectId, Optional<Set<String>> newRoles, Optional<Set<String>> newPermissions) {
      Actor actor = actor(actorName);
      PrincipalModel subject = principals.get(subjectId);
      PrincipalModel after = subject.granted(newRoles.orElse(subject.roles), newPermissions.orElse(subject.permissions));
      if (after.roles.equals(subject.roles) && after.permissions.equals(subject.permissions)) {
        return; // nothing to change (whether an empty edit is audited is not what this model checks)
      }
      PrincipalEdit edit = PrincipalEdit.none();
      if (newRoles.isPresent()) {
        edit = edit.roles(after.roles);
      }
      if (newPermissions.isPresent()) {
        edit = edit.permissions(after.permissions);
      }
      PrincipalEdit e = edit;
      if (deniedAsExpected(actorName, Kind.MANAGE, subject, after, () -> w.m.editPrincipal(actor, subject.ref, e))) {
        return;
      }
      Principal stored = w.m.editPrincipal(actor, subject.ref, e);
      assertThat(stored.roles()).as("roles after the edit").isEqualTo(after.roles);
      assertThat(stored.permissions()).as("permissions after the edit").isEqualTo(after.permissions);
      subject.roles = after.roles;
      subject.permissions = after.permissions;
      expectedAuditEvents++;
    }

    void editExpiry(String actorName, TokenRef ref, ExpiryEdit edit) {
      Actor actor = actor(actorName);
      TokenModel t = token(ref);
      Instant now = now();
      Expiration e = switch (edit) {
        case MINUTE -> Expiration.after(Duration.ofMinutes(1));
        case HOUR -> Expiration.after(Duration.ofHours(1));
        case TWO_DAYS -> Expiration.after(Duration.ofDays(2));
        case PAST -> Expiration.at(now.minusSeconds(1));
        case BEYOND_MAXIMUM -> Expiration.after(Duration.ofDays(366));
      };
      TokenEdit tokenEdit = TokenEdit.none().expiration(e);
      PrincipalModel owner = principal(ref.owner());
      if (deniedAsExpected(actorName, Kind.EDIT_CREDENTIALS, owner, owner, () -> w.m.editToken(actor, ref, tokenEdit))) {
        return;
      }
      if (edit == ExpiryEdit.PAST || edit == ExpiryEdit.BEYOND_MAXIMUM) {
        assertThatThrownBy(() -> w.m.editToken(actor, ref, tokenEdit)).isInstanceOf(InvalidArgumentException.class);
        return;
      }
      Token after = w.m.editToken(actor, ref, tokenEdit);
      Duration lifetime = switch (edit) {
        case MINUTE -> Duration.ofMinutes(1);
        case HOUR -> Duration.ofHours(1);
        default -> Duration.ofDays(2);
      };
      t.expiresAt = now.plus(lifetime);
      if (t.previous != null) {
        t.expiriesSinceRotation.add(t.expiresAt);
        t.lastExpiryChange = now;
      }
      t.version++;
      assertThat(after.expiresAt()).isEqualTo(t.expiresAt);
      assertThat(after.previousValidUntil()).as("grace end").isEqualTo(t.storedGraceEnd());
      assertThat(after.version()).isEqualTo(t.version);
      expectedAuditEvents++;
    }

    void rename(String actorName, TokenRef ref) {
      Actor actor = actor(actorName);
      TokenModel t = token(ref);
      TokenEdit edit = TokenEdit.none().name("Renamed " + t.version).tags(Map.of("v", "" + t.version));
      PrincipalModel owner = principal(ref.owner());
      if (deniedAsExpected(actorName, Kind.EDIT_CREDENTIALS, owner, owner, () -> w.m.editToken(actor, ref, edit))) {
        return;
      }
      Token after = w.m.editToken(actor, ref, edit);
      t.version++;
      assertThat(after.version()).isEqualTo(t.version);
      assertThat(after.expiresAt()).isEqualTo(t.expiresAt);
      expectedAuditEvents++;
    }

    // ---- the model's answer

    /**
     * Null when the value should verify; otherwise why not, in the verifier's order of checks: the
     * secret first (a wrong one is BAD_SECRET whatever the token's state), then status, expiry and
     * principal.
     */
    RejectReason expectedRejection(Value v) {
      TokenModel t = v.token;
      if (t.deleted) {
        return RejectReason.UNKNOWN;
      }
      boolean secretMatches = v.value.equals(t.current) || v.value.equals(t.previous) && t.previousAcceptedAt(now());
      if (!secretMatches) {
        return RejectReason.BAD_SECRET;
      }
      if (t.status == TokenStatus.REVOKED) {
        return RejectReason.REVOKED;
      }
      if (expired(t)) {
        return RejectReason.EXPIRED;
      }
      if (!principal(t.ref.owner()).enabled) {
        return RejectReason.DISABLED;
      }
      return null;
    }

    // ---- invariants

    void checkVerification() {
      for (Value v : values) {
        VerificationResult r = w.verifier.verify(v.value);
        RejectReason expected = expectedRejection(v);
        if (expected == null) {
          assertThat(r).as("%s should verify at %s", v.token.ref, now()).isInstanceOf(Verified.class);
          Verified ok = (Verified) r;
          assertThat(ok.token()).isEqualTo(v.token.ref);
          assertThat(ok.principal()).isEqualTo(v.token.ref.owner());
          PrincipalModel owner = principal(v.token.ref.owner());
          assertThat(ok.roles()).as("roles of %s", owner.ref).isEqualTo(owner.roles);
          assertThat(ok.permissions()).as("permissions of %s", owner.ref).isEqualTo(owner.permissions);
          for (String name : PERMISSION_NAMES) {
            assertThat(ok.hasPermission(name)).as("hasPermission(%s) for %s", name, owner.ref)
                .isEqualTo(owner.permissions.contains(name));
          }
          for (String role : owner.roles) {
            assertThat(ok.hasPermission(role)).as("hasPermission(%s) for %s, which has that role", role, owner.ref)
                .isEqualTo(owner.permissions.contains(role));
          }
          assertThat(ok.expiresAt()).isEqualTo(v.token.expiresAt);
        } else {
          assertThat(r).as("%s (a value of version <= %d) at %s", v.token.ref, v.token.version, now())
              .isEqualTo(Rejected.of(expected));
        }
      }
    }

    void checkStore() {
      Instant now = now();
      for (PrincipalModel p : principals.values()) {
        Principal stored = w.m.getPrincipal(w.system, p.ref);
        assertThat(stored.roles()).as("stored roles of %s", p.ref).isEqualTo(p.roles);
        assertThat(stored.permissions()).as("stored permissions of %s", p.ref).isEqualTo(p.permissions);
        assertThat(stored.enabled()).as("%s enabled", p.ref).isEqualTo(p.enabled);
        Set<String> listed = all(page -> w.m.listApiKeys(w.system, p.ref, page)).stream().map(k -> k.ref().id())
            .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = keys.keySet().stream().filter(k -> k.owner().equals(p.ref)).map(ApiKeyRef::id)
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).as("keys of %s", p.ref).isEqualTo(expected);
      }
      for (var e : keys.entrySet()) {
        Map<String, Token> listed = new LinkedHashMap<>();
        for (Token t : all(page -> w.m.listTokens(w.system, e.getKey(), page))) {
          listed.put(t.ref().id(), t);
        }
        assertThat(listed.keySet()).as("tokens of %s", e.getKey()).isEqualTo(e.getValue().keySet());
        for (TokenModel t : e.getValue().values()) {
          Token stored = listed.get(t.ref.id());
          assertThat(stored.status()).as("status of %s", t.ref).isEqualTo(t.status);
          assertThat(stored.version()).as("version of %s", t.ref).isEqualTo(t.version);
          assertThat(stored.expiresAt()).as("expiry of %s", t.ref).isEqualTo(t.expiresAt);
          assertThat(stored.previousValidUntil()).as("grace end of %s", t.ref).isEqualTo(t.storedGraceEnd());
          assertThat(stored.lookupId()).isEqualTo(t.lookupId);
          assertThat(w.memory.findToken(t.ref).orElseThrow().previous() != null).as("previous hash of %s", t.ref)
              .isEqualTo(t.storedGraceEnd() != null);
        }
        long usable = e.getValue().values().stream()
            .filter(t -> t.status == TokenStatus.ACTIVE && !expired(t)).count();
        assertThat(listed.values().stream().filter(t -> t.isUsableAt(now)).count()).as("usable tokens of %s", e.getKey())
            .isEqualTo(usable);
      }
      for (Value v : values) {
        if (v.token.deleted) {
          assertThat(w.memory.findToken(v.token.ref)).as("deleted %s", v.token.ref).isEmpty();
          assertThat(w.memory.findTokenByLookupId(v.token.lookupId)).as("deleted %s by lookup id", v.token.ref).isEmpty();
        }
      }
      assertThat(w.audit).as("audit events (one per mutation that changed something)").hasSize(expectedAuditEvents);
    }

    private static <T> List<T> all(Function<PageRequest, Page<T>> lister) {
      List<T> out = new ArrayList<>();
      Optional<PageRequest> next = Optional.of(PageRequest.first(3)); // small pages: pagination is part of it
      while (next.isPresent()) {
        Page<T> page = lister.apply(next.get());
        out.addAll(page.items());
        next = page.next(3);
      }
      return out;
    }

    @Override
    public String toString() {
      return "Session[" + values.size() + " values, keys " + keys.keySet() + ", disabled "
          + principals.values().stream().filter(p -> !p.enabled).map(p -> p.ref.id()).toList()
          + ", clock " + now() + "]";
    }
  }
}
