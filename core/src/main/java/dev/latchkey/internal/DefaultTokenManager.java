package dev.latchkey.internal;

import dev.latchkey.AccessPolicy;
import dev.latchkey.AccessPolicy.Action;
import dev.latchkey.Account;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditAction;
import dev.latchkey.ConflictException;
import dev.latchkey.HashUsage;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IssuedToken;
import dev.latchkey.LegacyToken;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.TokenValue;
import dev.latchkey.UnsupportedByStoreException;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The management API. Order in every call: arguments were validated when the request values were
 * built; then the actor is resolved, the principal acted upon is read and the policy decides
 * (before any key or token is read, so unauthorized callers learn nothing about them); then the
 * store is read and written; then this node's verifier cache is invalidated and an audit event is
 * emitted.
 *
 * <p>Exceptions are not translated: stores report their own failures as {@link
 * dev.latchkey.StoreException} (the {@code TokenStore} contract), and anything else, such as a bug
 * in a custom {@link AccessPolicy}, reaches the caller as itself rather than posing as a database
 * error.
 */
public final class DefaultTokenManager implements TokenManager {
  private final TokenStore store;
  private final TokenCodec codec;
  private final SecretHasher hasher;
  private final Clock clock;
  private final SecureRandom random;
  private final AccessPolicy policy;
  private final Limits limits;
  private final Audit audit;
  private final VerificationEngine engine;

  DefaultTokenManager(
      TokenStore store,
      TokenCodec codec,
      SecretHasher hasher,
      Clock clock,
      SecureRandom random,
      AccessPolicy policy,
      Limits limits,
      Audit audit,
      VerificationEngine engine) {
    this.store = store;
    this.codec = codec;
    this.hasher = hasher;
    this.clock = clock;
    this.random = random;
    this.policy = policy;
    this.limits = limits;
    this.audit = audit;
    this.engine = engine;
  }

  // ---- accounts

  @Override
  public Account createAccount(Actor actor, String accountId, String name) {
    requireArgs("actor", actor, "accountId", accountId, "name", name);
    requireSystem(actor, "create accounts");
    Account account = new Account(accountId, name, now());
    store.insertAccount(account);
    audit.emit(actor.toString(), AuditAction.ACCOUNT_CREATED, accountId, accountId, Map.of());
    return account;
  }

  @Override
  public Account getAccount(Actor actor, String accountId) {
    requireArgs("actor", actor, "accountId", accountId);
    if (!actor.isSystem()) {
      Principal p = resolve(actor);
      if (!p.ref().accountId().equals(accountId)) {
        throw denied(actor, "read account " + accountId);
      }
    }
    return store.findAccount(accountId)
        .orElseThrow(() -> new NotFoundException("account " + accountId + " does not exist"));
  }

  @Override
  public Page<Account> listAccounts(Actor actor, PageRequest page) {
    requireArgs("actor", actor, "page", page);
    requireSystem(actor, "list accounts");
    return store.listAccounts(page);
  }

  @Override
  public void deleteAccount(Actor actor, String accountId) {
    requireArgs("actor", actor, "accountId", accountId);
    requireSystem(actor, "delete accounts");
    Removal removal = store.deleteAccount(accountId)
        .orElseThrow(() -> new NotFoundException("account " + accountId + " does not exist"));
    invalidate(removal);
    audit.emit(actor.toString(), AuditAction.ACCOUNT_DELETED, accountId, accountId, removalDetails(removal));
  }

  // ---- principals

  @Override
  public Principal createUser(Actor actor, NewUser user) {
    requireArgs("actor", actor, "user", user);
    PrincipalRef ref = user.ref();
    Principal p = new Principal(ref, user.name(), user.description(), Scope.account(ref.accountId()), user.roles(),
        user.permissions(), true, now(), 1);
    permit(actor, resolve(actor), Action.MANAGE_PRINCIPAL, p);
    store.insertPrincipal(p);
    audit.emit(actor.toString(), AuditAction.USER_CREATED, ref.accountId(), ref.toString(), grantDetails(p));
    return p;
  }

  @Override
  public Principal createServiceAccount(Actor actor, NewServiceAccount sa) {
    requireArgs("actor", actor, "sa", sa);
    PrincipalRef ref = sa.ref();
    Principal p = new Principal(ref, sa.name(), sa.description(), sa.scope(), sa.roles(), sa.permissions(),
        true, now(), 1);
    permit(actor, resolve(actor), Action.MANAGE_PRINCIPAL, p);
    store.insertPrincipal(p);
    Map<String, String> details = new LinkedHashMap<>(grantDetails(p));
    details.put("scope", sa.scope().toString());
    audit.emit(actor.toString(), AuditAction.SERVICE_ACCOUNT_CREATED, ref.accountId(), ref.toString(), details);
    return p;
  }

  @Override
  public Principal getPrincipal(Actor actor, PrincipalRef ref) {
    requireArgs("actor", actor, "ref", ref);
    return subject(actor, Action.VIEW_PRINCIPALS, ref);
  }

  @Override
  public Principal editPrincipal(Actor actor, PrincipalRef ref, PrincipalEdit edit) {
    requireArgs("actor", actor, "ref", ref, "edit", edit);
    Principal acting = resolve(actor);
    Principal before = subject(actor, acting, Action.MANAGE_PRINCIPAL, ref);
    Set<String> roles = edit.roles().orElse(before.roles());
    Set<String> permissions = edit.permissions().orElse(before.permissions());
    Principal after = new Principal(ref, edit.name().orElse(before.name()),
        edit.description().orElse(before.description()), before.scope(), roles, permissions,
        before.enabled(), before.createdAt(), before.version() + 1);
    permit(actor, acting, Action.MANAGE_PRINCIPAL, after); // the result must be covered too: no granting up
    if (!store.updatePrincipal(before.version(), after)) {
      throw concurrent("principal " + ref);
    }
    engine.invalidatePrincipal(ref);
    audit.emit(actor.toString(), AuditAction.PRINCIPAL_UPDATED, ref.accountId(), ref.toString(), grantDetails(after));
    return after;
  }

  @Override
  public Principal setEnabled(Actor actor, PrincipalRef ref, boolean enabled) {
    requireArgs("actor", actor, "ref", ref);
    Principal before = subject(actor, Action.MANAGE_PRINCIPAL, ref);
    if (before.enabled() == enabled) {
      return before;
    }
    Principal after = before.withEnabled(enabled);
    if (!store.updatePrincipal(before.version(), after)) {
      throw concurrent("principal " + ref);
    }
    engine.invalidatePrincipal(ref);
    audit.emit(actor.toString(), enabled ? AuditAction.PRINCIPAL_ENABLED : AuditAction.PRINCIPAL_DISABLED,
        ref.accountId(), ref.toString(), Map.of());
    return after;
  }

  @Override
  public void deletePrincipal(Actor actor, PrincipalRef ref) {
    requireArgs("actor", actor, "ref", ref);
    Principal judged = subject(actor, Action.MANAGE_PRINCIPAL, ref);
    // Compare-and-set on the version the policy judged: a concurrent change (a promotion beyond
    // what this actor covers, say) makes the delete fail instead of going through unjudged.
    Removal removal = store.deletePrincipal(ref, judged.version())
        .orElseThrow(() -> store.findPrincipal(ref).isPresent()
            ? concurrent("principal " + ref)
            : new NotFoundException(describe(ref) + " does not exist"));
    invalidate(removal);
    audit.emit(actor.toString(), AuditAction.PRINCIPAL_DELETED, ref.accountId(), ref.toString(), removalDetails(removal));
  }

  @Override
  public Page<Principal> listPrincipals(Actor actor, String accountId, PrincipalType type, PageRequest page) {
    requireArgs("actor", actor, "accountId", accountId, "type", type, "page", page);
    Checks.identifier("account id", accountId);
    Checks.notNull("principal type", type);
    Checks.notNull("page", page);
    Principal acting = resolve(actor);
    if (acting != null && !policy.permits(acting, Action.VIEW_PRINCIPALS, accountId, Optional.empty())) {
      throw denied(actor, "view principals in account " + accountId);
    }
    return store.listPrincipals(accountId, type, page);
  }

  // ---- API keys

  @Override
  public ApiKey createApiKey(Actor actor, NewApiKey request) {
    requireArgs("actor", actor, "request", request);
    ApiKeyRef ref = request.ref();
    PrincipalRef owner = ref.owner();
    Principal ownerPrincipal = subject(actor, Action.MINT_CREDENTIALS, owner);
    Scope allowed = ownerPrincipal.scope();
    Scope scope = request.scope().orElse(allowed);
    if (!scope.equals(allowed)) {
      throw new InvalidArgumentException(owner.type() == PrincipalType.USER
          ? "personal API keys can only be created at account scope (" + allowed + "), not at " + scope
          : "a service account's API keys live at the service account's scope (" + allowed + "), not at " + scope);
    }
    ApiKey key = new ApiKey(ref, request.name(), request.description(), request.tags(), scope,
        request.defaultTokenLifetime(), now(), 1);
    request.defaultTokenLifetime().ifPresent(this::checkLifetimeWithinMaximum);
    store.insertApiKey(key, limits.maxApiKeysPerPrincipal());
    audit.emit(actor.toString(), AuditAction.API_KEY_CREATED, owner.accountId(), ref.toString(),
        Map.of("scope", scope.toString()));
    return key;
  }

  @Override
  public ApiKey getApiKey(Actor actor, ApiKeyRef ref) {
    requireArgs("actor", actor, "ref", ref);
    subject(actor, Action.VIEW_CREDENTIALS, ref.owner());
    return requireApiKey(ref);
  }

  @Override
  public ApiKey editApiKey(Actor actor, ApiKeyRef ref, ApiKeyEdit edit) {
    requireArgs("actor", actor, "ref", ref, "edit", edit);
    subject(actor, Action.EDIT_CREDENTIALS, ref.owner());
    ApiKey before = requireApiKey(ref);
    ApiKey after = new ApiKey(ref, edit.name().orElse(before.name()),
        edit.description().orElse(before.description()), edit.tags().orElse(before.tags()), before.scope(),
        before.defaultTokenLifetime(), before.createdAt(), before.version() + 1);
    if (!store.updateApiKey(before.version(), after)) {
      throw concurrent("API key " + ref);
    }
    audit.emit(actor.toString(), AuditAction.API_KEY_UPDATED, ref.owner().accountId(), ref.toString(), Map.of());
    return after;
  }

  @Override
  public void deleteApiKey(Actor actor, ApiKeyRef ref) {
    requireArgs("actor", actor, "ref", ref);
    subject(actor, Action.REVOKE_CREDENTIALS, ref.owner());
    Removal removal = store.deleteApiKey(ref)
        .orElseThrow(() -> new NotFoundException("API key " + ref + " does not exist"));
    invalidate(removal);
    audit.emit(actor.toString(), AuditAction.API_KEY_DELETED, ref.owner().accountId(), ref.toString(),
        removalDetails(removal));
  }

  @Override
  public Page<ApiKey> listApiKeys(Actor actor, PrincipalRef owner, PageRequest page) {
    requireArgs("actor", actor, "owner", owner, "page", page);
    Checks.notNull("owner", owner);
    Checks.notNull("page", page);
    subject(actor, Action.VIEW_CREDENTIALS, owner);
    return store.listApiKeys(owner, page);
  }

  // ---- tokens

  @Override
  public IssuedToken issueToken(Actor actor, NewToken request) {
    requireArgs("actor", actor, "request", request);
    TokenRef ref = request.ref();
    PrincipalRef owner = ref.owner();
    Principal ownerPrincipal = subject(actor, Action.MINT_CREDENTIALS, owner);
    ApiKey key = requireApiKey(ref.apiKey());
    if (!ownerPrincipal.enabled()) {
      throw new ConflictException(describe(owner) + " is disabled; enable it before issuing tokens");
    }
    Instant now = now();
    Optional<Instant> expiresAt = request.expiration().resolve(now, key.defaultTokenLifetime(), limits);
    String lookupId = codec.newLookupId(random);
    String secret = codec.newSecret(random);
    String value = codec.encode(owner.type(), lookupId, secret);
    CredentialHash hash = hasher.hash(secret);
    Token token = new Token(ref, lookupId, request.name(), request.description(), request.tags(), now, expiresAt,
        TokenStatus.ACTIVE, Optional.empty(), Optional.empty(), Optional.empty(), 1);
    store.insertToken(new TokenRecord(token, hash, Optional.empty()), limits.maxTokensPerApiKey(), now);
    engine.invalidateToken(lookupId); // a negative entry could only exist if someone guessed the id
    audit.emit(actor.toString(), AuditAction.TOKEN_ISSUED, owner.accountId(), ref.toString(),
        expiryDetails(token));
    return new IssuedToken(token, TokenValue.of(value));
  }

  @Override
  public Token importToken(Actor actor, LegacyToken legacy) {
    requireArgs("actor", actor, "token", legacy);
    if (!engine.acceptsLegacyTokens()) {
      throw new dev.latchkey.ConfigurationException("imported tokens verify only in their legacy form: build Latchkey"
          + " with acceptLegacyTokens(true) before importing");
    }
    Bcrypt.requireAvailable();
    engine.requireImportableBcrypt(legacy.bcryptHash());
    TokenRef ref = legacy.ref();
    PrincipalRef owner = ref.owner();
    Principal ownerPrincipal = subject(actor, Action.IMPORT_TOKEN, owner);
    ApiKey key = requireApiKey(ref.apiKey());
    if (!ownerPrincipal.enabled()) {
      throw new ConflictException(describe(owner) + " is disabled; enable it before importing tokens");
    }
    Instant now = now();
    Optional<Instant> expiresAt = legacy.expiration().resolve(now, key.defaultTokenLifetime(), limits);
    String lookupId = LegacyFormat.lookupId(legacy.legacyAccountId(), legacy.legacyTokenId());
    Token token = new Token(ref, lookupId, legacy.name(), legacy.description(), legacy.tags(), now, expiresAt,
        TokenStatus.ACTIVE, Optional.empty(), Optional.empty(), Optional.empty(), 1);
    CredentialHash hash = new CredentialHash(CredentialHash.BCRYPT, 0, legacy.bcryptHash());
    store.insertToken(new TokenRecord(token, hash, Optional.empty()), limits.maxTokensPerApiKey(), now);
    engine.invalidateToken(lookupId);
    Map<String, String> details = new LinkedHashMap<>(expiryDetails(token));
    details.put("legacyTokenId", legacy.legacyTokenId());
    audit.emit(actor.toString(), AuditAction.TOKEN_IMPORTED, owner.accountId(), ref.toString(), details);
    return token;
  }

  @Override
  public Token getToken(Actor actor, TokenRef ref) {
    requireArgs("actor", actor, "ref", ref);
    subject(actor, Action.VIEW_CREDENTIALS, ref.owner());
    return requireToken(ref).token();
  }

  @Override
  public Token editToken(Actor actor, TokenRef ref, TokenEdit edit) {
    requireArgs("actor", actor, "ref", ref, "edit", edit);
    subject(actor, Action.EDIT_CREDENTIALS, ref.owner());
    TokenRecord before = requireToken(ref);
    Token t = before.token();
    TokenCopy copy = TokenCopy.of(t);
    edit.name().ifPresent(copy::name);
    edit.description().ifPresent(copy::description);
    edit.tags().ifPresent(copy::tags);
    Optional<CredentialHash> previous = before.previous();
    Map<String, String> details = Map.of();
    if (edit.expiration().isPresent()) {
      Instant now = now();
      ApiKey key = requireApiKey(ref.apiKey());
      Optional<Instant> expiresAt = edit.expiration().get().resolve(now, key.defaultTokenLifetime(), limits);
      copy.expiresAt(expiresAt);
      Optional<Instant> graceEnd = capGrace(t.previousValidUntil(), expiresAt, now);
      copy.previousValidUntil(graceEnd);
      if (graceEnd.isEmpty()) {
        previous = Optional.empty();
      }
      details = Map.of("expiresAt", expiresAt.map(Instant::toString).orElse("never"));
    }
    Token after = copy.build();
    if (!store.updateToken(t.version(), new TokenRecord(after, before.current(), previous))) {
      throw concurrent("token " + ref);
    }
    engine.invalidateToken(t.lookupId());
    audit.emit(actor.toString(), AuditAction.TOKEN_UPDATED, ref.owner().accountId(), ref.toString(), details);
    return after;
  }

  @Override
  public IssuedToken rotateToken(Actor actor, TokenRef ref, Rotation rotation) {
    requireArgs("actor", actor, "ref", ref, "rotation", rotation);
    subject(actor, Action.MINT_CREDENTIALS, ref.owner());
    if (rotation.grace().compareTo(limits.maxRotationGrace()) > 0) {
      throw new InvalidArgumentException("rotation grace " + Durations.human(rotation.grace())
          + " exceeds the maximum of " + Durations.human(limits.maxRotationGrace()));
    }
    TokenRecord before = requireToken(ref);
    Token t = before.token();
    Instant now = now();
    if (rotation.expectedVersion().isPresent() && rotation.expectedVersion().get() != t.version()) {
      throw new ConflictException("token " + ref + " is at version " + t.version() + ", not "
          + rotation.expectedVersion().get() + " as expected; it was changed since it was read; this rotation did not happen");
    }
    if (t.status() != TokenStatus.ACTIVE) {
      throw new ConflictException("token " + ref + " is revoked and cannot be rotated; issue a new token");
    }
    if (t.isExpiredAt(now)) {
      throw new ConflictException("token " + ref + " has expired and cannot be rotated; issue a new token");
    }
    Optional<Instant> expiresAt = t.expiresAt();
    if (rotation.newExpiration().isPresent()) {
      ApiKey key = requireApiKey(ref.apiKey());
      expiresAt = rotation.newExpiration().get().resolve(now, key.defaultTokenLifetime(), limits);
    }
    // The old secret lives for the grace period, but never past the token's old or new expiry.
    Optional<Instant> graceEnd = Optional.empty();
    if (!rotation.grace().isZero()) {
      graceEnd = capGrace(capGrace(Optional.of(now.plus(rotation.grace())), t.expiresAt(), now), expiresAt, now);
    }
    String secret = codec.newSecret(random);
    String value = codec.encode(ref.owner().type(), t.lookupId(), secret);
    CredentialHash hash = hasher.hash(secret);
    Token after = TokenCopy.of(t).expiresAt(expiresAt).rotatedAt(Optional.of(now))
        .previousValidUntil(graceEnd).build();
    TokenRecord updated = new TokenRecord(after, hash, graceEnd.isPresent() ? Optional.of(before.current()) : Optional.empty());
    if (!store.updateToken(t.version(), updated)) {
      throw new ConflictException("token " + ref + " was changed concurrently (another rotation or edit won);"
          + " this rotation did not happen");
    }
    engine.invalidateToken(t.lookupId());
    Map<String, String> details = new LinkedHashMap<>(expiryDetails(after));
    details.put("grace", rotation.grace().toString());
    details.put("previousValidUntil", graceEnd.map(Instant::toString).orElse("none"));
    audit.emit(actor.toString(), AuditAction.TOKEN_ROTATED, ref.owner().accountId(), ref.toString(), details);
    return new IssuedToken(after, TokenValue.of(value));
  }

  @Override
  public Token revokeToken(Actor actor, TokenRef ref) {
    requireArgs("actor", actor, "ref", ref);
    subject(actor, Action.REVOKE_CREDENTIALS, ref.owner());
    TokenRecord before = requireToken(ref);
    Token t = before.token();
    if (t.status() == TokenStatus.REVOKED) {
      engine.invalidateToken(t.lookupId()); // revoked elsewhere: make it effective here at once too
      return t;
    }
    Token after = TokenCopy.of(t).status(TokenStatus.REVOKED).previousValidUntil(Optional.empty()).build();
    if (!store.updateToken(t.version(), new TokenRecord(after, before.current(), Optional.empty()))) {
      throw concurrent("token " + ref);
    }
    engine.invalidateToken(t.lookupId());
    audit.emit(actor.toString(), AuditAction.TOKEN_REVOKED, ref.owner().accountId(), ref.toString(), Map.of());
    return after;
  }

  @Override
  public void deleteToken(Actor actor, TokenRef ref) {
    requireArgs("actor", actor, "ref", ref);
    subject(actor, Action.REVOKE_CREDENTIALS, ref.owner());
    Removal removal = store.deleteToken(ref)
        .orElseThrow(() -> new NotFoundException("token " + ref + " does not exist"));
    invalidate(removal);
    audit.emit(actor.toString(), AuditAction.TOKEN_DELETED, ref.owner().accountId(), ref.toString(), Map.of());
  }

  @Override
  public Page<Token> listTokens(Actor actor, ApiKeyRef apiKey, PageRequest page) {
    requireArgs("actor", actor, "apiKey", apiKey, "page", page);
    Checks.notNull("API key", apiKey);
    Checks.notNull("page", page);
    subject(actor, Action.VIEW_CREDENTIALS, apiKey.owner());
    requireApiKey(apiKey);
    return store.listTokens(apiKey, page).map(TokenRecord::token);
  }

  @Override
  public Page<Token> listTokensExpiringBetween(Actor actor, Instant from, Instant to, PageRequest page) {
    requireArgs("actor", actor, "from", from, "to", to, "page", page);
    requireSystem(actor, "list expiring tokens across accounts");
    Checks.notNull("from", from);
    Checks.notNull("to", to);
    Checks.notNull("page", page);
    if (!from.isBefore(to)) {
      throw new InvalidArgumentException("'from' must be before 'to'");
    }
    return store.expiringTokenQuery()
        .orElseThrow(() -> unsupported("the expiring-tokens query (TokenStore.expiringTokenQuery())"))
        .listTokensExpiringBetween(from, to, page).map(TokenRecord::token);
  }

  @Override
  public List<HashUsage> hashUsage(Actor actor) {
    requireArgs("actor", actor);
    requireSystem(actor, "read hash usage");
    return store.hashUsageQuery()
        .orElseThrow(() -> unsupported("hash-usage statistics (TokenStore.hashUsageQuery())"))
        .hashUsage();
  }

  private UnsupportedByStoreException unsupported(String capability) {
    return new UnsupportedByStoreException("the configured token store does not offer " + capability
        + "; use a store that does, such as JdbcTokenStore or MemoryTokenStore");
  }

  // ---- helpers

  private Instant now() {
    return clock.instant();
  }

  /** Pairs of (name, value); every value must be non-null. */
  private static void requireArgs(Object... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        throw new InvalidArgumentException(namesAndValues[i] + " is required");
      }
    }
  }

  private void requireSystem(Actor actor, String what) {
    Checks.notNull("actor", actor);
    if (!actor.isSystem()) {
      throw denied(actor, what);
    }
  }

  /** The acting principal, which must exist and be enabled; null for the system actor. */
  private Principal resolve(Actor actor) {
    Checks.notNull("actor", actor);
    if (actor.isSystem()) {
      return null;
    }
    PrincipalRef ref = actor.principal().orElseThrow();
    Principal p = store.findPrincipal(ref).orElse(null);
    if (p == null || !p.enabled()) {
      throw new PermissionDeniedException("acting principal " + ref + " does not exist or is disabled");
    }
    return p;
  }

  /** {@link #subject(Actor, Principal, Action, PrincipalRef)} for the actor, resolved here. */
  private Principal subject(Actor actor, Action action, PrincipalRef ref) {
    return subject(actor, resolve(actor), action, ref);
  }

  /**
   * Reads the principal {@code ref} and has the policy decide whether {@code acting} may perform
   * {@code action} on it (null {@code acting}: the system actor, which may). The principal is read
   * before the decision because the policy judges what it holds; its keys and tokens are read only
   * after. A missing principal is reported as missing only to actors the policy lets list the
   * account's principals, who could see that anyway; everyone else is denied, so nobody learns by
   * probing which principals exist.
   */
  private Principal subject(Actor actor, Principal acting, Action action, PrincipalRef ref) {
    Optional<Principal> found = store.findPrincipal(ref);
    if (acting != null) {
      Action asked = found.isPresent() ? action : Action.VIEW_PRINCIPALS;
      if (!policy.permits(acting, asked, ref.accountId(), found)) {
        throw denied(actor, describeAction(action, ref, ""));
      }
    }
    return found.orElseThrow(() -> new NotFoundException(describe(ref) + " does not exist"));
  }

  /** Asks the policy about a principal as it would be stored by a create or edit. */
  private void permit(Actor actor, Principal acting, Action action, Principal subject) {
    if (acting != null && !policy.permits(acting, action, subject.ref().accountId(), Optional.of(subject))) {
      throw denied(actor, describeAction(action, subject.ref(), " with these roles, permissions and scope"));
    }
  }

  private static PermissionDeniedException denied(Actor actor, String what) {
    return new PermissionDeniedException(actor + " is not allowed to " + what);
  }

  /**
   * What was refused and, so that the message says what to do, what the standard policy would need.
   * Names no role or permission of the subject: the actor may not be allowed to see them.
   */
  private static String describeAction(Action action, PrincipalRef subject, String how) {
    boolean user = subject.type() == PrincipalType.USER;
    String covering = " together with every role and permission of the " + (user ? "user" : "service account")
        + (user ? "" : ", at a scope that contains its scope");
    String admin = "the " + AccessPolicy.ACCOUNT_ADMIN_ROLE + " role";
    switch (action) {
      case MANAGE_PRINCIPAL:
        return (user ? "manage users" : "manage service accounts") + " in account " + subject.accountId() + " ("
            + subject + how + "); the standard policy requires " + admin + ", or the "
            + (user ? AccessPolicy.MANAGE_USERS : AccessPolicy.MANAGE_SERVICE_ACCOUNTS) + " permission" + covering;
      case VIEW_PRINCIPALS:
        return "view principals in account " + subject.accountId();
      case MINT_CREDENTIALS:
        return "create API keys for, or issue or rotate tokens of, " + subject + (user
            ? "; personal keys and tokens are minted only by their own user"
            : "; the standard policy requires " + admin + ", or the "
                + AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS + " permission" + covering);
      case IMPORT_TOKEN:
        return "import tokens for " + subject + (user
            ? "; personal tokens are imported only by the system actor, or by their own user if an account admin"
            : "; the standard policy requires " + admin);
      case EDIT_CREDENTIALS:
      case REVOKE_CREDENTIALS:
        return (action == Action.EDIT_CREDENTIALS ? "edit" : "revoke or delete") + " the API keys and tokens of "
            + subject + (user
                ? (action == Action.EDIT_CREDENTIALS
                    ? "; personal keys and tokens are edited only by their own user"
                    : "; that is for the user and account admins")
                : "; the standard policy requires " + admin + ", or the " + AccessPolicy.MANAGE_SERVICE_ACCOUNTS
                    + " or " + AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS + " permission" + covering);
      case VIEW_CREDENTIALS:
        return "view the API keys and tokens of " + subject;
      default:
        return action.name() + " " + subject;
    }
  }

  private static String describe(PrincipalRef ref) {
    return (ref.type() == PrincipalType.USER ? "user " : "service account ") + ref;
  }

  private static ConflictException concurrent(String what) {
    return new ConflictException(what + " was changed concurrently; re-read it and retry");
  }

  private ApiKey requireApiKey(ApiKeyRef ref) {
    return store.findApiKey(ref).orElseThrow(() -> new NotFoundException("API key " + ref + " does not exist"));
  }

  private TokenRecord requireToken(TokenRef ref) {
    return store.findToken(ref).orElseThrow(() -> new NotFoundException("token " + ref + " does not exist"));
  }

  private void checkLifetimeWithinMaximum(Duration lifetime) {
    if (limits.maxTokenLifetime().isPresent() && lifetime.compareTo(limits.maxTokenLifetime().get()) > 0) {
      throw new InvalidArgumentException("default token lifetime " + Durations.human(lifetime)
          + " exceeds the maximum token lifetime of " + Durations.human(limits.maxTokenLifetime().get()));
    }
  }

  /** The earlier of a grace end and an expiry; empty if the grace end is missing or not in the future. */
  private static Optional<Instant> capGrace(Optional<Instant> graceEnd, Optional<Instant> expiresAt, Instant now) {
    if (graceEnd.isEmpty()) {
      return graceEnd;
    }
    Instant end = graceEnd.get();
    if (expiresAt.isPresent() && expiresAt.get().isBefore(end)) {
      end = expiresAt.get();
    }
    return end.isAfter(now) ? Optional.of(end) : Optional.empty();
  }

  private void invalidate(Removal removal) {
    engine.invalidateTokens(removal.tokenLookupIds());
    engine.invalidatePrincipals(removal.principals());
  }

  private static Map<String, String> removalDetails(Removal removal) {
    return Map.of("principalsRemoved", Integer.toString(removal.principals().size()),
        "tokensRemoved", Integer.toString(removal.tokenLookupIds().size()));
  }

  private static Map<String, String> grantDetails(Principal p) {
    return Map.of("roles", String.join(",", p.roles()), "permissions", String.join(",", p.permissions()),
        "enabled", Boolean.toString(p.enabled()));
  }

  private static Map<String, String> expiryDetails(Token t) {
    return Map.of("lookupId", t.lookupId(), "expiresAt", t.expiresAt().map(Instant::toString).orElse("never"));
  }
}
