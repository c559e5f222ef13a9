package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.jspecify.annotations.Nullable;

/**
 * Stateful properties (jqwik {@link ActionChain}): random sequences of management calls, clock
 * moves and cache drops on one Latchkey instance, each checked against a small model of which
 * token values should verify and why not.
 *
 * <p>Actions: issue (also under a key that must first be created, to a disabled owner, and with a
 * duplicate identifier), rotate (with and without grace, with and without a new expiry, with the
 * current, a stale or no expected version, with a grace beyond the limit), revoke, delete a token,
 * delete a key, disable and enable a principal, set a principal's roles (from names that include
 * some spelled like permissions), edit a token's expiry (including into the past and beyond the
 * maximum lifetime) or its name, advance the clock, drop the verifier's cache.
 *
 * <p>After every action: every token value ever issued verifies exactly as the model says (the
 * principal and token for a valid one, with the principal's roles and permissions as two separate
 * sets; the exact {@link RejectReason} otherwise), and the store agrees with the model: each
 * principal's roles and permissions; listed tokens per key with status, version, expiry and grace
 * end; listed keys per owner; usable-token counts; nothing left of deleted tokens or keys; one audit
 * event per mutation that changed something.
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
  }

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
        .withAction(2, editExpiry())
        .withAction(1, editName())
        .withAction(3, advanceClock())
        .withAction(1, dropCache())
        .withMaxTransformations(40);
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  private static final List<String> OWNERS = List.of("alice", "bob", "ci");
  private static final List<String> KEY_IDS = List.of("k1", "k2");

  static Action.Independent<Session> issue() {
    Arbitrary<Optional<Duration>> lifetimes = Arbitraries.of(
        Optional.empty(), Optional.of(Duration.ofMinutes(10)), Optional.of(Duration.ofHours(1)), Optional.of(Duration.ofDays(1)));
    return () -> Combinators.combine(Arbitraries.of(OWNERS), Arbitraries.of(KEY_IDS), lifetimes)
        .as((owner, key, lifetime) -> Transformer.mutate(
            "issue under " + owner + "/" + key + " expiring " + lifetime.map(Duration::toString).orElse("by default"),
            s -> s.issue(owner, key, lifetime)));
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
        return Combinators.combine(Arbitraries.of(s.liveTokens()), graces, newLifetimes, Arbitraries.of(VersionCheck.class))
            .as((t, grace, lifetime, version) -> Transformer.mutate(
                "rotate " + t + " grace " + grace + lifetime.map(l -> " new lifetime " + l).orElse("") + " version " + version,
                x -> x.rotate(t, grace, lifetime, version)));
      }
    };
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

  private static Action.Dependent<Session> onLiveToken(String verb, java.util.function.BiConsumer<Session, TokenRef> body) {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(Session s) {
        return !s.liveTokens().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<Session>> transformer(Session s) {
        return Arbitraries.of(s.liveTokens()).map(t -> Transformer.mutate(verb + " " + t, x -> body.accept(x, t)));
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
        return Arbitraries.of(List.copyOf(s.keys.keySet()))
            .map(k -> Transformer.mutate("delete key " + k, x -> x.deleteKey(k)));
      }
    };
  }

  static Action.Independent<Session> setEnabled() {
    return () -> Combinators.combine(Arbitraries.of(OWNERS), Arbitraries.of(true, false))
        .as((owner, enabled) -> Transformer.mutate((enabled ? "enable " : "disable ") + owner,
            s -> s.setEnabled(owner, enabled)));
  }

  /** Role names to give principals: "read" and "deploy" are also permissions some principals hold. */
  private static final List<String> ROLE_NAMES = List.of("deployer", "auditor", "read", "deploy");

  static Action.Independent<Session> editRoles() {
    return () -> Combinators.combine(Arbitraries.of(OWNERS), Arbitraries.subsetOf(ROLE_NAMES))
        .as((owner, roles) -> Transformer.mutate("set the roles of " + owner + " to " + new TreeSet<>(roles),
            s -> s.editRoles(owner, roles)));
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
        return Combinators.combine(Arbitraries.of(s.liveTokens()), Arbitraries.of(ExpiryEdit.class))
            .as((t, e) -> Transformer.mutate("edit expiry of " + t + " to " + e, x -> x.editExpiry(t, e)));
      }
    };
  }

  static Action.Independent<Session> advanceClock() {
    return () -> Arbitraries.of(Duration.ofMillis(1), Duration.ofMillis(999), Duration.ofSeconds(2), Duration.ofSeconds(31),
            Duration.ofMinutes(3), Duration.ofMinutes(61), Duration.ofHours(20))
        .map(d -> Transformer.mutate("advance the clock by " + d, s -> s.w.clock.advance(d)));
  }

  static Action.Independent<Session> dropCache() {
    return () -> Arbitraries.just(Transformer.mutate("drop the verifier's cache", s -> s.w.latchkey.invalidateCache()));
  }

  // ---------------------------------------------------------------------------------------------
  // The system under test and its model

  static final class TokenModel {
    final TokenRef ref;
    final String lookupId;
    TokenStatus status = TokenStatus.ACTIVE;
    @Nullable Instant expiresAt; // null: never
    String current;
    @Nullable String previous; // null when none
    @Nullable Instant previousValidUntil;
    long version = 1;
    boolean deleted;

    TokenModel(TokenRef ref, String lookupId, @Nullable Instant expiresAt, String value) {
      this.ref = ref;
      this.lookupId = lookupId;
      this.expiresAt = expiresAt;
      this.current = value;
    }
  }

  record Value(String value, TokenModel token) {}

  static final class Session {
    final World w = new World(b -> b.scheduler(SCHEDULER));
    final Map<String, PrincipalRef> owners = new HashMap<>();
    final Map<PrincipalRef, Boolean> enabled = new HashMap<>();
    final Map<PrincipalRef, Set<String>> permissions = new HashMap<>();
    final Map<PrincipalRef, Set<String>> roles = new HashMap<>();
    /** Existing keys and their tokens (deleted tokens stay in {@link #values} only). */
    final Map<ApiKeyRef, Map<String, TokenModel>> keys = new LinkedHashMap<>();
    final List<Value> values = new ArrayList<>();
    int expectedAuditEvents;
    private int nextId;

    Session() {
      for (Principal p : List.of(w.alice, w.bob, w.ci)) {
        owners.put(p.ref().id(), p.ref());
        enabled.put(p.ref(), true);
        permissions.put(p.ref(), p.permissions());
        roles.put(p.ref(), p.roles());
      }
      // roles from the start, so that every chain verifies principals that have some
      editRoles("alice", Set.of("deployer"));
      editRoles("ci", Set.of("auditor", "read"));
      expectedAuditEvents = w.audit.size();
    }

    List<TokenRef> liveTokens() {
      return keys.values().stream().flatMap(m -> m.values().stream()).map(t -> t.ref).collect(Collectors.toList());
    }

    private TokenModel token(TokenRef ref) {
      return keys.get(ref.apiKey()).get(ref.id());
    }

    private Instant now() {
      return w.clock.instant();
    }

    private boolean expired(TokenModel t) {
      return t.expiresAt != null && !now().isBefore(t.expiresAt);
    }

    // ---- actions

    void issue(String ownerId, String keyId, Optional<Duration> lifetime) {
      PrincipalRef owner = owners.get(ownerId);
      ApiKeyRef key = owner.apiKey(keyId);
      if (!keys.containsKey(key)) {
        ApiKey created = w.m.createApiKey(w.system, NewApiKey.of(owner, keyId, "Key " + keyId));
        assertThat(created.ref()).isEqualTo(key);
        keys.put(key, new LinkedHashMap<>());
        expectedAuditEvents++;
      }
      NewToken request = NewToken.of(key, "t" + (++nextId), "Token " + nextId)
          .expiring(lifetime.map(Expiration::after).orElse(Expiration.defaultLifetime()));
      if (!enabled.get(owner)) {
        assertThatThrownBy(() -> w.m.issueToken(w.system, request)).isInstanceOf(ConflictException.class);
        return;
      }
      IssuedToken issued = w.m.issueToken(w.system, request);
      Instant expected = now().plus(lifetime.orElse(dev.latchkey.Limits.defaults().defaultTokenLifetime()));
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

    void rotate(TokenRef ref, Duration grace, Optional<Duration> newLifetime, VersionCheck check) {
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
      if (grace.compareTo(dev.latchkey.Limits.defaults().maxRotationGrace()) > 0) {
        assertThatThrownBy(() -> w.m.rotateToken(w.system, ref, r)).isInstanceOf(InvalidArgumentException.class);
        return;
      }
      if (check == VersionCheck.STALE || t.status == TokenStatus.REVOKED || expired(t)) {
        assertThatThrownBy(() -> w.m.rotateToken(w.system, ref, r)).isInstanceOf(ConflictException.class);
        return;
      }
      IssuedToken rotated = w.m.rotateToken(w.system, ref, r);
      Instant now = now();
      Instant oldExpiry = t.expiresAt;
      Instant newExpiry = newLifetime.isPresent() ? now.plus(newLifetime.get()) : oldExpiry;
      Instant graceEnd = null;
      if (!grace.isZero()) {
        graceEnd = capGrace(capGrace(now.plus(grace), oldExpiry, now), newExpiry, now);
      }
      t.previous = graceEnd != null ? t.current : null;
      t.previousValidUntil = graceEnd;
      t.current = rotated.value().reveal();
      t.expiresAt = newExpiry;
      t.version++;
      assertThat(rotated.token().version()).isEqualTo(t.version);
      assertThat(rotated.token().expiresAt()).isEqualTo(newExpiry);
      assertThat(rotated.token().previousValidUntil()).isEqualTo(graceEnd);
      assertThat(rotated.token().lookupId()).isEqualTo(t.lookupId);
      values.add(new Value(t.current, t));
      expectedAuditEvents++;
    }

    void revoke(TokenRef ref) {
      TokenModel t = token(ref);
      Token after = w.m.revokeToken(w.system, ref);
      if (t.status != TokenStatus.REVOKED) {
        t.status = TokenStatus.REVOKED;
        t.previous = null;
        t.previousValidUntil = null;
        t.version++;
        expectedAuditEvents++;
      }
      assertThat(after.status()).isEqualTo(TokenStatus.REVOKED);
      assertThat(after.version()).isEqualTo(t.version);
    }

    void deleteToken(TokenRef ref) {
      TokenModel t = keys.get(ref.apiKey()).remove(ref.id());
      w.m.deleteToken(w.system, ref);
      t.deleted = true;
      expectedAuditEvents++;
    }

    void deleteKey(ApiKeyRef key) {
      Map<String, TokenModel> tokens = keys.remove(key);
      w.m.deleteApiKey(w.system, key);
      tokens.values().forEach(t -> t.deleted = true);
      expectedAuditEvents++;
    }

    void setEnabled(String ownerId, boolean on) {
      PrincipalRef owner = owners.get(ownerId);
      Principal p = w.m.setEnabled(w.system, owner, on);
      assertThat(p.enabled()).isEqualTo(on);
      if (enabled.get(owner) != on) {
        enabled.put(owner, on);
        expectedAuditEvents++;
      }
    }

    void editRoles(String ownerId, Set<String> newRoles) {
      PrincipalRef owner = owners.get(ownerId);
      if (newRoles.equals(roles.get(owner))) {
        return; // nothing to change (whether an empty edit is audited is not what this model checks)
      }
      Principal after = w.m.editPrincipal(w.system, owner, PrincipalEdit.none().roles(newRoles));
      assertThat(after.roles()).isEqualTo(newRoles);
      assertThat(after.permissions()).as("permissions after a roles edit").isEqualTo(permissions.get(owner));
      roles.put(owner, Set.copyOf(newRoles));
      expectedAuditEvents++;
    }

    void editExpiry(TokenRef ref, ExpiryEdit edit) {
      TokenModel t = token(ref);
      Instant now = now();
      Expiration e = switch (edit) {
        case MINUTE -> Expiration.after(Duration.ofMinutes(1));
        case HOUR -> Expiration.after(Duration.ofHours(1));
        case TWO_DAYS -> Expiration.after(Duration.ofDays(2));
        case PAST -> Expiration.at(now.minusSeconds(1));
        case BEYOND_MAXIMUM -> Expiration.after(Duration.ofDays(366));
      };
      if (edit == ExpiryEdit.PAST || edit == ExpiryEdit.BEYOND_MAXIMUM) {
        assertThatThrownBy(() -> w.m.editToken(w.system, ref, TokenEdit.none().expiration(e)))
            .isInstanceOf(InvalidArgumentException.class);
        return;
      }
      Token after = w.m.editToken(w.system, ref, TokenEdit.none().expiration(e));
      Duration lifetime = switch (edit) {
        case MINUTE -> Duration.ofMinutes(1);
        case HOUR -> Duration.ofHours(1);
        default -> Duration.ofDays(2);
      };
      t.expiresAt = now.plus(lifetime);
      t.previousValidUntil = capGrace(t.previousValidUntil, t.expiresAt, now);
      if (t.previousValidUntil == null) {
        t.previous = null;
      }
      t.version++;
      assertThat(after.expiresAt()).isEqualTo(t.expiresAt);
      assertThat(after.previousValidUntil()).isEqualTo(t.previousValidUntil);
      assertThat(after.version()).isEqualTo(t.version);
      expectedAuditEvents++;
    }

    void rename(TokenRef ref) {
      TokenModel t = token(ref);
      Token after = w.m.editToken(w.system, ref, TokenEdit.none().name("Renamed " + t.version).tags(Map.of("v", "" + t.version)));
      t.version++;
      assertThat(after.version()).isEqualTo(t.version);
      assertThat(after.expiresAt()).isEqualTo(t.expiresAt);
      expectedAuditEvents++;
    }

    /** Mirrors the documented rule: a grace period never outlives the token's expiry, and ends if not in the future. */
    private static @Nullable Instant capGrace(@Nullable Instant graceEnd, @Nullable Instant expiresAt, Instant now) {
      if (graceEnd == null) {
        return null;
      }
      Instant end = graceEnd;
      if (expiresAt != null && expiresAt.isBefore(end)) {
        end = expiresAt;
      }
      return end.isAfter(now) ? end : null;
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
      boolean secretMatches = v.value.equals(t.current)
          || v.value.equals(t.previous) && now().isBefore(java.util.Objects.requireNonNull(t.previousValidUntil));
      if (!secretMatches) {
        return RejectReason.BAD_SECRET;
      }
      if (t.status == TokenStatus.REVOKED) {
        return RejectReason.REVOKED;
      }
      if (expired(t)) {
        return RejectReason.EXPIRED;
      }
      if (!enabled.get(t.ref.owner())) {
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
          PrincipalRef owner = v.token.ref.owner();
          assertThat(ok.roles()).as("roles of %s", owner).isEqualTo(roles.get(owner));
          assertThat(ok.permissions()).as("permissions of %s", owner).isEqualTo(permissions.get(owner));
          for (String role : roles.get(owner)) {
            assertThat(ok.hasPermission(role)).as("hasPermission(%s) for %s, which has that role", role, owner)
                .isEqualTo(permissions.get(owner).contains(role));
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
      for (PrincipalRef owner : owners.values()) {
        Principal stored = w.m.getPrincipal(w.system, owner);
        assertThat(stored.roles()).as("stored roles of %s", owner).isEqualTo(roles.get(owner));
        assertThat(stored.permissions()).as("stored permissions of %s", owner).isEqualTo(permissions.get(owner));
        Set<String> listed = all(p -> w.m.listApiKeys(w.system, owner, p)).stream().map(k -> k.ref().id())
            .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = keys.keySet().stream().filter(k -> k.owner().equals(owner)).map(ApiKeyRef::id)
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).as("keys of %s", owner).isEqualTo(expected);
      }
      for (var e : keys.entrySet()) {
        Map<String, Token> listed = new LinkedHashMap<>();
        for (Token t : all(p -> w.m.listTokens(w.system, e.getKey(), p))) {
          listed.put(t.ref().id(), t);
        }
        assertThat(listed.keySet()).as("tokens of %s", e.getKey()).isEqualTo(e.getValue().keySet());
        for (TokenModel t : e.getValue().values()) {
          Token stored = listed.get(t.ref.id());
          assertThat(stored.status()).as("status of %s", t.ref).isEqualTo(t.status);
          assertThat(stored.version()).as("version of %s", t.ref).isEqualTo(t.version);
          assertThat(stored.expiresAt()).as("expiry of %s", t.ref).isEqualTo(t.expiresAt);
          assertThat(stored.previousValidUntil()).as("grace end of %s", t.ref).isEqualTo(t.previousValidUntil);
          assertThat(stored.lookupId()).isEqualTo(t.lookupId);
          assertThat(w.memory.findToken(t.ref).orElseThrow().previous() != null).as("previous hash of %s", t.ref)
              .isEqualTo(t.previous != null);
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

    private static <T> List<T> all(java.util.function.Function<PageRequest, Page<T>> lister) {
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
          + enabled.entrySet().stream().filter(e -> !e.getValue()).map(e -> e.getKey().id()).toList()
          + ", clock " + now() + "]";
    }
  }
}
