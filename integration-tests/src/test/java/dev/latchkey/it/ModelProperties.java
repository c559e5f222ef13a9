package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditAction;
import dev.latchkey.ConflictException;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IpAddress;
import dev.latchkey.IpRange;
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
import dev.latchkey.RateLimit;
import dev.latchkey.RateLimited;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.RequestContext;
import dev.latchkey.Restriction;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.Predicate;
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
 * expiry or grace end), drop the verifier's cache. Issue 11's operations: keys and tokens issued
 * with a {@link Restriction} (permission and role subsets, CIDR ranges) and a {@link RateLimit},
 * their restrictions narrowed and widened and their limits set and removed, and a value presented 1
 * to 4 times at one instant from one client.
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
 * <p>Restrictions: creating a key or issuing a token restricted beyond the owner's current rights
 * (or, for a token, its key's restriction) is refused, and so is an edit that widens anything
 * beyond them; an edit that only narrows may not name for the first time (where the credential was
 * unrestricted) what the owner does not hold; the audit action says whether an edit
 * widened. These rules, the containment of the ranges and which ranges each client address lies
 * in are the model's own ({@link Session#withinRights}, {@link RModel#widens}, written-out tables),
 * not calls to {@link Restriction#isWithin} or {@link IpRange#contains}. Rate limits: the model's
 * {@link BucketModel} predicts Bucket4j's buckets exactly on the injected clock.
 *
 * <p>After every action: every token value ever issued verifies exactly as the model says, from a
 * client that changes after each step (plain {@code verify}, a context without an address, and
 * addresses inside and outside the ranges, IPv4, IPv6 and IPv4-mapped): the principal and token for
 * a valid one, with the principal's current roles and permissions narrowed by the key's and the
 * token's restriction as two separate sets, so a principal or restriction edit must show at once;
 * {@link RateLimited} by the bucket the model says, with the limit and the retry-after; the exact
 * {@link RejectReason} otherwise,
 * and the store agrees with the model: each principal's roles, permissions and enabled flag; listed
 * tokens per key with status, version, expiry, grace end, restriction and rate limit; listed keys
 * per owner with restriction and rate limit; usable-token
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
    // ... and reach every answer of issue 11's checks, and every outcome of a restriction edit
    Statistics.label(ANSWERS).coverage(c -> {
      for (String answer : List.of("verified, narrowed by the key", "verified, narrowed by the token",
          "verified from inside an allow-list", "rate limited by the token", "rate limited by the key",
          "rejected: ADDRESS_NOT_ALLOWED")) {
        c.check(answer).count(n -> n > 0);
      }
    });
    Statistics.label(RESTRICTING).coverage(c -> {
      for (String outcome : List.of("key narrowed", "key widened", "key widening refused", "token narrowed", "token widened",
          "token widening refused", "issue refused")) {
        c.check(outcome).count(n -> n > 0);
      }
    });
  }

  private static final String DECISIONS = "decisions on calls by principals";
  private static final String ANSWERS = "answers to verifications with restrictions, allow-lists or limits";
  private static final String RESTRICTING = "restrictions set";

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
        .withAction(2, editKeyRestriction())
        .withAction(3, editTokenRestriction())
        .withAction(1, editKeyRateLimit())
        .withAction(2, editTokenRateLimit())
        .withAction(3, present())
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
    return () -> Combinators.combine(actors(), Arbitraries.of(OWNERS), Arbitraries.of(KEY_IDS), lifetimes,
            restrictions(), rateLimits(), restrictions(), rateLimits())
        .as((actor, owner, key, lifetime, keyRestriction, keyLimit, tokenRestriction, tokenLimit) -> Transformer.mutate(
            actor + ": issue under " + owner + "/" + key + " expiring " + lifetime.map(Duration::toString).orElse("by default")
                + " restricted to " + tokenRestriction + ", limit " + tokenLimit.map(RateLimit::toString).orElse("none")
                + " (a new key: restricted to " + keyRestriction + ", limit " + keyLimit.map(RateLimit::toString).orElse("none")
                + ")",
            s -> s.issue(actor, owner, key, lifetime, new Credential(keyRestriction, keyLimit.orElse(null)),
                new Credential(tokenRestriction, tokenLimit.orElse(null)))));
  }

  /**
   * Restrictions to issue with or edit to: mostly none, or names the owners hold (so that issuing
   * often succeeds), sometimes any names (so that it is also refused), and address ranges.
   */
  static Arbitrary<RModel> restrictions() {
    Arbitrary<Optional<Set<String>>> permissions = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(Optional.<Set<String>>empty())),
        Tuple.of(3, Arbitraries.subsetOf("read", "deploy").map(Optional::of)),
        Tuple.of(1, Arbitraries.subsetOf(PERMISSION_NAMES).map(Optional::of)));
    Arbitrary<Optional<Set<String>>> roles = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(Optional.<Set<String>>empty())),
        Tuple.of(2, Arbitraries.subsetOf("auditor", "read", "deployer").map(Optional::of)));
    Arbitrary<Set<String>> ranges = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(Set.<String>of())),
        Tuple.of(2, Arbitraries.subsetOf(RANGES).ofMinSize(1).ofMaxSize(2)));
    Arbitrary<RModel> some = Combinators.combine(permissions, roles, ranges)
        .as((p, r, a) -> new RModel(p.orElse(null), r.orElse(null), a));
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(RModel.NONE)), Tuple.of(3, some));
  }

  /**
   * Rate limits: small requests, periods and bursts, so that the verifications after every step
   * (which take from the buckets) reach them and a clock move refills them.
   */
  static Arbitrary<Optional<RateLimit>> rateLimits() {
    Arbitrary<Optional<RateLimit>> some = Combinators.combine(Arbitraries.of(1L, 2L, 3L),
            Arbitraries.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)), Arbitraries.of(1L, 2L, 3L))
        .as((requests, per, burst) -> Optional.of(new RateLimit(requests, per, burst)));
    return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Optional.<RateLimit>empty())), Tuple.of(2, some));
  }

  static Action.Dependent<Session> editKeyRestriction() {
    return when(s -> !s.keys.isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(List.copyOf(s.keys.keySet())), restrictions())
            .as((actor, k, r) -> Transformer.mutate(actor + ": restrict key " + k + " to " + r,
                x -> x.editKeyRestriction(actor, k, r))));
  }

  static Action.Dependent<Session> editTokenRestriction() {
    return when(s -> !s.liveTokens().isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(s.liveTokens()), restrictions())
            .as((actor, t, r) -> Transformer.mutate(actor + ": restrict " + t + " to " + r,
                x -> x.editTokenRestriction(actor, t, r))));
  }

  static Action.Dependent<Session> editKeyRateLimit() {
    return when(s -> !s.keys.isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(List.copyOf(s.keys.keySet())), rateLimits())
            .as((actor, k, l) -> Transformer.mutate(
                actor + ": set the rate limit of key " + k + " to " + l.map(RateLimit::toString).orElse("none"),
                x -> x.editKeyRateLimit(actor, k, l))));
  }

  static Action.Dependent<Session> editTokenRateLimit() {
    return when(s -> !s.liveTokens().isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(s.liveTokens()), rateLimits())
            .as((actor, t, l) -> Transformer.mutate(
                actor + ": set the rate limit of " + t + " to " + l.map(RateLimit::toString).orElse("none"),
                x -> x.editTokenRateLimit(actor, t, l))));
  }

  /**
   * A value presented 1 to 4 times at one instant from one client: more than a burst of 3 reaches
   * {@link RateLimited}, and a client outside an allow-list (or without an address) is refused.
   */
  static Action.Dependent<Session> present() {
    return when(s -> !s.values.isEmpty(),
        s -> Combinators.combine(Arbitraries.integers().between(0, s.values.size() - 1),
                Arbitraries.integers().between(0, CLIENTS.size() - 1), Arbitraries.integers().between(1, 4))
            .as((i, client, times) -> Transformer.mutate(
                "present value " + i + " (of " + s.values.get(i).token.ref + ") " + times + " times " + clientName(client),
                x -> x.present(x.values.get(i), client, times))));
  }

  static Action.Dependent<Session> issueDuplicate() {
    return when(s -> !s.liveTokens().isEmpty(),
        s -> Arbitraries.of(s.liveTokens()).map(t -> Transformer.mutate("issue again as " + t, x -> x.issueDuplicate(t))));
  }

  /** Expected version to pass to {@code Rotation.ifVersion}. */
  enum VersionCheck { NONE, CURRENT, STALE }

  static Action.Dependent<Session> rotate() {
    Arbitrary<Duration> graces = Arbitraries.of(Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5),
        Duration.ofHours(1), Duration.ofDays(8));
    Arbitrary<Optional<Duration>> newLifetimes = Arbitraries.of(Optional.empty(), Optional.empty(),
        Optional.of(Duration.ofMinutes(2)), Optional.of(Duration.ofHours(2)));
    return when(s -> !s.liveTokens().isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(s.liveTokens()), graces, newLifetimes,
                Arbitraries.of(VersionCheck.class))
            .as((actor, t, grace, lifetime, version) -> Transformer.mutate(
                actor + ": rotate " + t + " grace " + grace + lifetime.map(l -> " new lifetime " + l).orElse("")
                    + " version " + version,
                x -> x.rotate(actor, t, grace, lifetime, version))));
  }

  /** An action possible when {@code precondition} holds, its steps drawn from the session. */
  private static Action.Dependent<Session> when(Predicate<Session> precondition,
      Function<Session, Arbitrary<Transformer<Session>>> transformer) {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return precondition.test(s);
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return transformer.apply(s);
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
    return when(s -> !s.liveTokens().isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(s.liveTokens()))
            .as((actor, t) -> Transformer.mutate(actor + ": " + verb + " " + t, x -> body.apply(x, actor, t))));
  }

  static Action.Dependent<Session> deleteKey() {
    return when(s -> !s.keys.isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(List.copyOf(s.keys.keySet())))
            .as((actor, k) -> Transformer.mutate(actor + ": delete key " + k, x -> x.deleteKey(actor, k))));
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
    return when(s -> !s.liveTokens().isEmpty(),
        s -> Combinators.combine(actors(), Arbitraries.of(s.liveTokens()), Arbitraries.of(ExpiryEdit.class))
            .as((actor, t, e) -> Transformer.mutate(actor + ": edit expiry of " + t + " to " + e,
                x -> x.editExpiry(actor, t, e))));
  }

  static Action.Independent<Session> advanceClock() {
    return () -> Arbitraries.of(Duration.ofMillis(1), Duration.ofMillis(999), Duration.ofSeconds(2), Duration.ofSeconds(31),
            Duration.ofMinutes(3), Duration.ofMinutes(61), Duration.ofHours(20))
        .map(d -> Transformer.mutate("advance the clock by " + d, s -> s.w.clock.advance(d)));
  }

  /** To exactly, or one millisecond before, an instant where a token's expiry or grace ends: the edges of the rules. */
  static Action.Dependent<Session> advanceToBoundary() {
    return when(s -> !s.boundaries().isEmpty(),
        s -> Combinators.combine(Arbitraries.of(s.boundaries()), Arbitraries.of(0L, 1L))
            .as((at, before) -> Transformer.mutate("set the clock to " + (before == 1 ? "1 ms before " : "") + at,
                x -> x.w.clock.set(Stream.of(at.minusMillis(before), x.now()).max(Instant::compareTo).orElseThrow()))));
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

  // ---- restrictions, allow-lists and rate limits (issue 11), as the model sees them

  /** The ranges restrictions list, in CIDR text. */
  static final List<String> RANGES = List.of("10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/16", "2001:db8::/32", "2001:db8:1::/48");

  /** Each range and the ranges that contain it (itself included): written out by hand, not computed with {@link IpRange}. */
  static final Map<String, Set<String>> ENCLOSING = Map.of(
      "10.0.0.0/8", Set.of("10.0.0.0/8"),
      "10.1.0.0/16", Set.of("10.1.0.0/16", "10.0.0.0/8"),
      "192.168.0.0/16", Set.of("192.168.0.0/16"),
      "2001:db8::/32", Set.of("2001:db8::/32"),
      "2001:db8:1::/48", Set.of("2001:db8:1::/48", "2001:db8::/32"));

  /**
   * Where verifications come from: plain {@code verify(value)}, a context without an address, and
   * client addresses, each with the ranges it lies in (by hand; an IPv4-mapped IPv6 address is the
   * IPv4 address it maps, as the README says).
   */
  static final List<String> CLIENTS = List.of("plain", "none", "10.1.2.3", "10.200.0.1", "192.168.7.7", "::ffff:10.1.2.3",
      "2001:db8:1::5", "2001:db8:2::5", "203.0.113.9");
  static final Map<String, Set<String>> INSIDE = Map.of(
      "10.1.2.3", Set.of("10.0.0.0/8", "10.1.0.0/16"),
      "10.200.0.1", Set.of("10.0.0.0/8"),
      "192.168.7.7", Set.of("192.168.0.0/16"),
      "::ffff:10.1.2.3", Set.of("10.0.0.0/8", "10.1.0.0/16"),
      "2001:db8:1::5", Set.of("2001:db8::/32", "2001:db8:1::/48"),
      "2001:db8:2::5", Set.of("2001:db8::/32"),
      "203.0.113.9", Set.of());

  static String clientName(int client) {
    String c = CLIENTS.get(client);
    return c.equals("plain") ? "with plain verify" : c.equals("none") ? "without an address" : "from " + c;
  }

  /** The client's address, or null for plain verify and a context without one. */
  static @Nullable String address(int client) {
    return client < 2 ? null : CLIENTS.get(client);
  }

  /**
   * A restriction: permissions and roles (null: unrestricted, empty: none) and the names of the
   * ranges it may be used from (empty: anywhere).
   */
  record RModel(@Nullable Set<String> permissions, @Nullable Set<String> roles, Set<String> ranges) {
    static final RModel NONE = new RModel(null, null, Set.of());

    RModel {
      permissions = permissions == null ? null : Set.copyOf(permissions);
      roles = roles == null ? null : Set.copyOf(roles);
      ranges = Set.copyOf(ranges);
    }

    static RModel of(Restriction r) {
      return new RModel(r.permissions(), r.roles(),
          r.allowedAddresses().stream().map(IpRange::toString).collect(Collectors.toSet()));
    }

    Restriction restriction() {
      return new Restriction(permissions, roles, RANGES.stream().filter(ranges::contains).map(IpRange::parse).toList());
    }

    /** Whether a client at {@code address} (null: none) may use it: anywhere, else an address in one of the ranges. */
    boolean allows(@Nullable String address) {
      return ranges.isEmpty() || address != null && !Collections.disjoint(INSIDE.get(address), ranges);
    }

    /** Whether changing from {@code before} to this allows anything {@code before} did not (lifting a restriction included). */
    boolean widens(RModel before) {
      return widensNames(before.permissions, permissions) || widensNames(before.roles, roles)
          || !before.ranges.isEmpty() && (ranges.isEmpty()
              || ranges.stream().anyMatch(r -> Collections.disjoint(ENCLOSING.get(r), before.ranges)));
    }

    /**
     * The names this restriction gives where {@code before} did not restrict at all: an edit that
     * first restricts permissions (or roles) names them for the first time, as an issue does.
     */
    RModel firstNamed(RModel before) {
      return new RModel(before.permissions == null ? permissions : null, before.roles == null ? roles : null, Set.of());
    }

    private static boolean widensNames(@Nullable Set<String> before, @Nullable Set<String> after) {
      return before != null && (after == null || !before.containsAll(after));
    }

    /** {@code held} narrowed by this: all of it when unrestricted, else the names in both. */
    static Set<String> narrow(Set<String> held, @Nullable Set<String> allowed) {
      if (allowed == null) {
        return held;
      }
      Set<String> both = new TreeSet<>(held);
      both.retainAll(allowed);
      return both;
    }

    @Override
    public String toString() {
      return "[permissions " + (permissions == null ? "*" : new TreeSet<>(permissions)) + ", roles "
          + (roles == null ? "*" : new TreeSet<>(roles)) + ", from " + (ranges.isEmpty() ? "*" : new TreeSet<>(ranges)) + "]";
    }
  }

  /** What a key or a token carries besides its identity: a restriction and a rate limit (null: none). */
  record Credential(RModel restriction, @Nullable RateLimit limit) {}

  /** An API key as the model sees it. */
  static final class KeyModel {
    RModel restriction;
    @Nullable RateLimit limit;

    KeyModel(Credential c) {
      this.restriction = c.restriction();
      this.limit = c.limit();
    }
  }

  /**
   * A token bucket on the injected clock, stated exactly: it holds up to {@code burst} requests,
   * starts full, and refills continuously at {@code requests} per {@code per} (a greedy refill, the
   * README's "continuously"). To stay exact in integers, its content is counted in units of 1 /
   * (per in milliseconds) of a request: one millisecond adds {@code requests} units, one request
   * is {@code per} (ms) units, and the clock moves in whole milliseconds.
   */
  static final class BucketModel {
    final RateLimit limit;
    private final long periodMillis;
    private long units;
    private long at;

    BucketModel(RateLimit limit, long nowMillis) {
      this.limit = limit;
      this.periodMillis = limit.per().toMillis();
      this.units = limit.burst() * periodMillis;
      this.at = nowMillis;
    }

    private void refill(long nowMillis) {
      units = Math.min(limit.burst() * periodMillis, units + (nowMillis - at) * limit.requests());
      at = nowMillis;
    }

    /** Takes one request if there is one at {@code nowMillis}. */
    boolean take(long nowMillis) {
      refill(nowMillis);
      if (units < periodMillis) {
        return false;
      }
      units -= periodMillis;
      return true;
    }

    /** Gives back a request taken for a verification that another bucket refused. */
    void giveBack() {
      units = Math.min(limit.burst() * periodMillis, units + periodMillis);
    }

    /** How long until a request is there again, in nanoseconds (exact, possibly fractional: rounded up). */
    long nanosToNext() {
      long missing = periodMillis - units; // units; one millisecond adds limit.requests()
      return (missing * 1_000_000 + limit.requests() - 1) / limit.requests();
    }
  }

  static final class TokenModel {
    final TokenRef ref;
    final String lookupId;
    RModel restriction = RModel.NONE;
    @Nullable RateLimit limit;
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
    /**
     * The cache sweep, which drops full buckets, runs every {@code negativeCacheTtl} of real time,
     * the first time after one period: at 30 s it does not run within a try, so a sweep racing with
     * a verification (documented: at most one request goes uncounted) cannot make the bucket counts
     * differ from the model's. (A sweep that drops a full bucket changes nothing otherwise.)
     */
    final World w = new World(b -> b.scheduler(SCHEDULER).negativeCacheTtl(Duration.ofSeconds(30)));
    final Map<String, PrincipalModel> principals = new LinkedHashMap<>();
    /** Existing keys and their tokens (deleted tokens stay in {@link #values} only). */
    final Map<ApiKeyRef, Map<String, TokenModel>> keys = new LinkedHashMap<>();
    final List<Value> values = new ArrayList<>();
    /** Restriction and rate limit of each existing key. */
    final Map<ApiKeyRef, KeyModel> keyModels = new HashMap<>();
    /**
     * Buckets by what they count for: a token's lookup id (so rotation keeps it) or a key's
     * reference. A bucket is kept while its limit stays the same and started anew (full) when a
     * verification finds the limit changed; one left behind by a removed limit, or a deleted key,
     * is found again by the same limit on the same token or key reference.
     */
    final Map<Object, BucketModel> buckets = new HashMap<>();
    int expectedAuditEvents;
    private int nextId;
    /** How many times the verification invariant ran: it verifies from {@code CLIENTS[n % size]}. */
    private int invariantChecks;

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

    /**
     * The README's "a restriction can only narrow", restated: every permission and role a
     * restriction names must be held by the owner now and, for a token, be allowed by its key's
     * restriction (null {@code key}: for a key). Address ranges are not compared (a client must be
     * in both lists). Applies when a key or token is created with the restriction, and to an edit
     * that widens anything; an edit that only narrows is checked only for the names it gives for the
     * first time (where the credential was unrestricted), as if issued with them.
     */
    static boolean withinRights(RModel r, PrincipalModel owner, @Nullable RModel key) {
      return namesWithin(r.permissions(), owner.permissions, key == null ? null : key.permissions())
          && namesWithin(r.roles(), owner.roles, key == null ? null : key.roles());
    }

    private static boolean namesWithin(@Nullable Set<String> named, Set<String> held, @Nullable Set<String> keyAllows) {
      return named == null || held.containsAll(named) && (keyAllows == null || keyAllows.containsAll(named));
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

    void issue(String actorName, String ownerId, String keyId, Optional<Duration> lifetime, Credential keyCredential,
        Credential tokenCredential) {
      Actor actor = actor(actorName);
      PrincipalModel owner = principals.get(ownerId);
      ApiKeyRef key = owner.ref.apiKey(keyId);
      if (!keys.containsKey(key)) {
        NewApiKey plain = NewApiKey.of(owner.ref, keyId, "Key " + keyId).restrictedTo(keyCredential.restriction().restriction());
        NewApiKey newKey = keyCredential.limit() == null ? plain : plain.withRateLimit(keyCredential.limit());
        if (deniedAsExpected(actorName, Kind.MINT, owner, owner, () -> w.m.createApiKey(actor, newKey))) {
          return;
        }
        if (!withinRights(keyCredential.restriction(), owner, null)) {
          assertThat(catchThrowable(() -> w.m.createApiKey(actor, newKey))).as("%s restricted to %s beyond %s's rights", key,
              keyCredential.restriction(), owner.ref).isInstanceOf(InvalidArgumentException.class);
          Statistics.label(RESTRICTING).collect("issue refused");
          return;
        }
        ApiKey created = w.m.createApiKey(actor, newKey);
        assertThat(created.ref()).isEqualTo(key);
        assertThat(RModel.of(created.restriction())).isEqualTo(keyCredential.restriction());
        assertThat(created.rateLimit()).isEqualTo(keyCredential.limit());
        keys.put(key, new LinkedHashMap<>());
        keyModels.put(key, new KeyModel(keyCredential));
        expectedAuditEvents++;
      }
      NewToken plain = NewToken.of(key, "t" + (++nextId), "Token " + nextId)
          .expiring(lifetime.map(Expiration::after).orElse(Expiration.defaultLifetime()))
          .restrictedTo(tokenCredential.restriction().restriction());
      NewToken request = tokenCredential.limit() == null ? plain : plain.withRateLimit(tokenCredential.limit());
      if (deniedAsExpected(actorName, Kind.MINT, owner, owner, () -> w.m.issueToken(actor, request))) {
        return;
      }
      if (!withinRights(tokenCredential.restriction(), owner, keyModels.get(key).restriction)) {
        assertThat(catchThrowable(() -> w.m.issueToken(actor, request)))
            .as("a token restricted to %s beyond %s's rights or its key's restriction", tokenCredential.restriction(), owner.ref)
            .isInstanceOf(InvalidArgumentException.class);
        Statistics.label(RESTRICTING).collect("issue refused");
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
      t.restriction = tokenCredential.restriction();
      t.limit = tokenCredential.limit();
      assertThat(RModel.of(issued.token().restriction())).isEqualTo(t.restriction);
      assertThat(issued.token().rateLimit()).isEqualTo(t.limit);
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
      keyModels.remove(key);
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

    void editKeyRestriction(String actorName, ApiKeyRef ref, RModel to) {
      Actor actor = actor(actorName);
      KeyModel k = keyModels.get(ref);
      PrincipalModel owner = principal(ref.owner());
      ApiKeyEdit edit = ApiKeyEdit.none().restriction(to.restriction());
      if (deniedAsExpected(actorName, Kind.EDIT_CREDENTIALS, owner, owner, () -> w.m.editApiKey(actor, ref, edit))) {
        return;
      }
      boolean widens = to.widens(k.restriction);
      if (!withinRights(widens ? to : to.firstNamed(k.restriction), owner, null)) {
        assertThat(catchThrowable(() -> w.m.editApiKey(actor, ref, edit)))
            .as("editing %s from %s to %s beyond %s's rights", ref, k.restriction, to, owner.ref)
            .isInstanceOf(InvalidArgumentException.class);
        Statistics.label(RESTRICTING).collect(widens ? "key widening refused" : "key first restriction refused");
        return;
      }
      Statistics.label(RESTRICTING).collect(widens ? "key widened" : "key narrowed");
      ApiKey after = w.m.editApiKey(actor, ref, edit);
      assertThat(RModel.of(after.restriction())).isEqualTo(to);
      k.restriction = to;
      expectAudit(widens ? AuditAction.API_KEY_RESTRICTION_WIDENED : AuditAction.API_KEY_UPDATED);
    }

    void editTokenRestriction(String actorName, TokenRef ref, RModel to) {
      Actor actor = actor(actorName);
      TokenModel t = token(ref);
      PrincipalModel owner = principal(ref.owner());
      TokenEdit edit = TokenEdit.none().restriction(to.restriction());
      if (deniedAsExpected(actorName, Kind.EDIT_CREDENTIALS, owner, owner, () -> w.m.editToken(actor, ref, edit))) {
        return;
      }
      boolean widens = to.widens(t.restriction);
      if (!withinRights(widens ? to : to.firstNamed(t.restriction), owner, keyModels.get(ref.apiKey()).restriction)) {
        assertThat(catchThrowable(() -> w.m.editToken(actor, ref, edit)))
            .as("editing %s from %s to %s beyond %s's rights or its key's restriction", ref, t.restriction, to, owner.ref)
            .isInstanceOf(InvalidArgumentException.class);
        Statistics.label(RESTRICTING).collect(widens ? "token widening refused" : "token first restriction refused");
        return;
      }
      Statistics.label(RESTRICTING).collect(widens ? "token widened" : "token narrowed");
      Token after = w.m.editToken(actor, ref, edit);
      t.restriction = to;
      t.version++;
      assertThat(RModel.of(after.restriction())).isEqualTo(to);
      assertThat(after.version()).isEqualTo(t.version);
      expectAudit(widens ? AuditAction.TOKEN_RESTRICTION_WIDENED : AuditAction.TOKEN_UPDATED);
    }

    void editKeyRateLimit(String actorName, ApiKeyRef ref, Optional<RateLimit> limit) {
      Actor actor = actor(actorName);
      PrincipalModel owner = principal(ref.owner());
      ApiKeyEdit edit = limit.map(l -> ApiKeyEdit.none().rateLimit(l)).orElse(ApiKeyEdit.none().noRateLimit());
      if (deniedAsExpected(actorName, Kind.EDIT_CREDENTIALS, owner, owner, () -> w.m.editApiKey(actor, ref, edit))) {
        return;
      }
      ApiKey after = w.m.editApiKey(actor, ref, edit);
      keyModels.get(ref).limit = limit.orElse(null);
      assertThat(after.rateLimit()).isEqualTo(limit.orElse(null));
      expectAudit(AuditAction.API_KEY_UPDATED);
    }

    void editTokenRateLimit(String actorName, TokenRef ref, Optional<RateLimit> limit) {
      Actor actor = actor(actorName);
      TokenModel t = token(ref);
      PrincipalModel owner = principal(ref.owner());
      TokenEdit edit = limit.map(l -> TokenEdit.none().rateLimit(l)).orElse(TokenEdit.none().noRateLimit());
      if (deniedAsExpected(actorName, Kind.EDIT_CREDENTIALS, owner, owner, () -> w.m.editToken(actor, ref, edit))) {
        return;
      }
      Token after = w.m.editToken(actor, ref, edit);
      t.limit = limit.orElse(null);
      t.version++;
      assertThat(after.rateLimit()).isEqualTo(t.limit);
      assertThat(after.version()).isEqualTo(t.version);
      expectAudit(AuditAction.TOKEN_UPDATED);
    }

    /** One more audit event, of this action: the model says whether an edit widened. */
    private void expectAudit(AuditAction action) {
      expectedAuditEvents++;
      assertThat(w.audit).as("audit events").hasSize(expectedAuditEvents);
      assertThat(w.audit.get(w.audit.size() - 1).action()).as("the edit's audit event").isEqualTo(action);
    }

    void present(Value v, int client, int times) {
      for (int i = 0; i < times; i++) {
        verifyAsTheModelSays(v, client);
      }
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

    /**
     * After {@link #expectedRejection}'s checks, the client address, then the rate limits: the
     * model's answer to one verification of {@code v} from {@code address} (null: none) now. Only a
     * verification that passes everything else takes from a bucket (so this takes, as the verifier
     * does): the token's first, then its key's, and a request the key's bucket refuses is given
     * back to the token's. Null when the value should verify.
     */
    @Nullable Object expectedAnswer(Value v, @Nullable String address) {
      RejectReason rejected = expectedRejection(v);
      if (rejected != null) {
        return rejected;
      }
      TokenModel t = v.token;
      KeyModel key = keyModels.get(t.ref.apiKey());
      if (!key.restriction.allows(address) || !t.restriction.allows(address)) {
        return RejectReason.ADDRESS_NOT_ALLOWED;
      }
      long now = now().toEpochMilli();
      BucketModel tokenBucket = null;
      if (t.limit != null) {
        tokenBucket = bucket(t.lookupId, t.limit, now);
        if (!tokenBucket.take(now)) {
          return new Limited(RateLimited.LimitedBy.TOKEN, tokenBucket);
        }
      }
      if (key.limit != null) {
        BucketModel keyBucket = bucket(t.ref.apiKey(), key.limit, now);
        if (!keyBucket.take(now)) {
          if (tokenBucket != null) {
            tokenBucket.giveBack();
          }
          return new Limited(RateLimited.LimitedBy.API_KEY, keyBucket);
        }
      }
      return null;
    }

    record Limited(RateLimited.LimitedBy by, BucketModel bucket) {}

    private BucketModel bucket(Object countsFor, RateLimit limit, long now) {
      BucketModel b = buckets.get(countsFor);
      if (b == null || !b.limit.equals(limit)) {
        b = new BucketModel(limit, now);
        buckets.put(countsFor, b);
      }
      return b;
    }

    /**
     * Verifies {@code v} from {@code CLIENTS[client]} and checks the answer: {@link Verified} with
     * the principal and token, and as roles and permissions the principal's current ones narrowed by
     * the key's and the token's restrictions (as two separate sets, so a principal or restriction
     * edit must show at once); {@link RateLimited} by the bucket the model says, with the limit and
     * the time to the next request; otherwise the exact {@link RejectReason}.
     */
    void verifyAsTheModelSays(Value v, int client) {
      String address = address(client);
      VerificationResult r = switch (CLIENTS.get(client)) {
        case "plain" -> w.verifier.verify(v.value);
        case "none" -> w.verifier.verify(v.value, RequestContext.NONE);
        default -> w.verifier.verify(v.value, RequestContext.from(IpAddress.parse(address)));
      };
      Object expected = expectedAnswer(v, address);
      String where = clientName(client);
      if (expected == null) {
        assertThat(r).as("%s should verify at %s %s", v.token.ref, now(), where).isInstanceOf(Verified.class);
        Verified ok = (Verified) r;
        assertThat(ok.token()).isEqualTo(v.token.ref);
        assertThat(ok.principal()).isEqualTo(v.token.ref.owner());
        PrincipalModel owner = principal(v.token.ref.owner());
        RModel keyRestriction = keyModels.get(v.token.ref.apiKey()).restriction;
        RModel tokenRestriction = v.token.restriction;
        Set<String> roles = RModel.narrow(RModel.narrow(owner.roles, keyRestriction.roles()), tokenRestriction.roles());
        Set<String> permissions = RModel.narrow(RModel.narrow(owner.permissions, keyRestriction.permissions()),
            tokenRestriction.permissions());
        assertThat(ok.roles()).as("roles of %s: %s's narrowed by key %s and token %s", v.token.ref, owner.roles,
            keyRestriction, tokenRestriction).isEqualTo(roles);
        assertThat(ok.permissions()).as("permissions of %s: %s's narrowed by key %s and token %s", v.token.ref,
            owner.permissions, keyRestriction, tokenRestriction).isEqualTo(permissions);
        for (String name : PERMISSION_NAMES) {
          assertThat(ok.hasPermission(name)).as("hasPermission(%s) for %s", name, v.token.ref)
              .isEqualTo(permissions.contains(name));
        }
        for (String role : roles) {
          assertThat(ok.hasPermission(role)).as("hasPermission(%s) for %s, which has that role", role, v.token.ref)
              .isEqualTo(permissions.contains(role));
        }
        assertThat(RModel.of(ok.keyRestriction())).as("key restriction of %s", v.token.ref).isEqualTo(keyRestriction);
        assertThat(RModel.of(ok.tokenRestriction())).as("restriction of %s", v.token.ref).isEqualTo(tokenRestriction);
        assertThat(ok.expiresAt()).isEqualTo(v.token.expiresAt);
        if (!RModel.narrow(owner.permissions, keyRestriction.permissions()).equals(owner.permissions)
            || !RModel.narrow(owner.roles, keyRestriction.roles()).equals(owner.roles)) {
          Statistics.label(ANSWERS).collect("verified, narrowed by the key");
        }
        if (!RModel.narrow(owner.permissions, tokenRestriction.permissions()).equals(owner.permissions)
            || !RModel.narrow(owner.roles, tokenRestriction.roles()).equals(owner.roles)) {
          Statistics.label(ANSWERS).collect("verified, narrowed by the token");
        }
        if (!keyRestriction.ranges().isEmpty() || !tokenRestriction.ranges().isEmpty()) {
          Statistics.label(ANSWERS).collect("verified from inside an allow-list");
        }
      } else if (expected instanceof Limited limited) {
        Statistics.label(ANSWERS).collect(limited.by() == RateLimited.LimitedBy.TOKEN
            ? "rate limited by the token" : "rate limited by the key");
        assertThat(r).as("%s over its limits at %s %s", v.token.ref, now(), where).isInstanceOf(RateLimited.class);
        RateLimited over = (RateLimited) r;
        assertThat(over.token()).isEqualTo(v.token.ref);
        assertThat(over.limitedBy()).as("which bucket refused %s", v.token.ref).isEqualTo(limited.by());
        assertThat(over.limit()).isEqualTo(limited.bucket().limit);
        // Bucket4j reckons in nanoseconds; the model's exact wait, rounded up, within a microsecond
        assertThat(over.retryAfter().toNanos()).as("retry-after of %s", v.token.ref)
            .isBetween(limited.bucket().nanosToNext() - 1_000, limited.bucket().nanosToNext() + 1_000);
      } else {
        if (expected == RejectReason.ADDRESS_NOT_ALLOWED) {
          Statistics.label(ANSWERS).collect("rejected: ADDRESS_NOT_ALLOWED");
        }
        assertThat(r).as("%s (a value of version <= %d) at %s %s", v.token.ref, v.token.version, now(), where)
            .isEqualTo(Rejected.of((RejectReason) expected));
      }
    }

    // ---- invariants

    /** Every value ever issued, from one client, a different one after each step. */
    void checkVerification() {
      int client = invariantChecks++ % CLIENTS.size();
      for (Value v : values) {
        verifyAsTheModelSays(v, client);
      }
    }

    void checkStore() {
      Instant now = now();
      for (PrincipalModel p : principals.values()) {
        Principal stored = w.m.getPrincipal(w.system, p.ref);
        assertThat(stored.roles()).as("stored roles of %s", p.ref).isEqualTo(p.roles);
        assertThat(stored.permissions()).as("stored permissions of %s", p.ref).isEqualTo(p.permissions);
        assertThat(stored.enabled()).as("%s enabled", p.ref).isEqualTo(p.enabled);
        List<ApiKey> listedKeys = all(page -> w.m.listApiKeys(w.system, p.ref, page));
        for (ApiKey k : listedKeys) {
          KeyModel model = keyModels.get(k.ref());
          if (model != null) {
            assertThat(RModel.of(k.restriction())).as("restriction of key %s", k.ref()).isEqualTo(model.restriction);
            assertThat(k.rateLimit()).as("rate limit of key %s", k.ref()).isEqualTo(model.limit);
          }
        }
        Set<String> listed = listedKeys.stream().map(k -> k.ref().id()).collect(Collectors.toCollection(TreeSet::new));
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
          assertThat(RModel.of(stored.restriction())).as("restriction of %s", t.ref).isEqualTo(t.restriction);
          assertThat(stored.rateLimit()).as("rate limit of %s", t.ref).isEqualTo(t.limit);
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
