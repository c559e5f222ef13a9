package dev.latchkey.internal;

import dev.latchkey.AccessPolicy;
import dev.latchkey.AccessPolicy.Action;
import dev.latchkey.Account;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
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
import dev.latchkey.Restriction;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.UnsupportedByStoreException;
import dev.latchkey.VersionMismatchException;
import dev.latchkey.internal.Minter.Minted;
import dev.latchkey.spi.AuditTrail;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.ExpiryNoticeLog;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The management API. Order in every call: the arguments are checked (the request values checked
 * their own fields when they were built); then the {@link Authorizer} resolves the actor, reads the
 * principal acted upon and has the policy decide (before any key or token is read, so unauthorized
 * callers learn nothing about them); then the store is read and written; then this node's verifier
 * cache is invalidated and an audit event is emitted. New secrets come from the {@link Minter} only.
 *
 * <p>Exceptions are not translated: stores report their own failures as {@link
 * dev.latchkey.StoreException} (the {@code TokenStore} contract), and anything else, such as a bug
 * in a custom {@link AccessPolicy}, reaches the caller as itself rather than posing as a database
 * error.
 */
final class DefaultTokenManager implements TokenManager {
  private final TokenStore store;
  private final Clock clock;
  private final Limits limits;
  private final Audit audit;
  private final VerificationEngine engine;
  private final Authorizer authorizer;
  private final Minter minter;

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
    this.clock = clock;
    this.limits = limits;
    this.audit = audit;
    this.engine = engine;
    this.authorizer = new Authorizer(store, policy);
    this.minter = new Minter(codec, hasher, random);
  }

  // ---- accounts (the system actor's, but for a principal reading its own)

  @Override
  public Account createAccount(Actor actor, String accountId, String name) {
    Checks.notNull("actor", actor);
    Checks.notNull("accountId", accountId);
    Checks.notNull("name", name);
    authorizer.requireSystem(actor, "create accounts");
    Account account = new Account(accountId, name, clock.instant());
    store.insertAccount(account);
    audit.emit(actor.toString(), AuditAction.ACCOUNT_CREATED, accountId, accountId, Map.of());
    return account;
  }

  @Override
  public Account getAccount(Actor actor, String accountId) {
    Checks.notNull("actor", actor);
    Checks.notNull("accountId", accountId);
    authorizer.caller(actor).requireOwnAccount(accountId);
    return store.findAccount(accountId).orElseThrow(() -> notFound("account " + accountId));
  }

  @Override
  public Page<Account> listAccounts(Actor actor, PageRequest page) {
    Checks.notNull("actor", actor);
    Checks.notNull("page", page);
    authorizer.requireSystem(actor, "list accounts");
    return store.listAccounts(page);
  }

  @Override
  public void deleteAccount(Actor actor, String accountId) {
    Checks.notNull("actor", actor);
    Checks.notNull("accountId", accountId);
    authorizer.requireSystem(actor, "delete accounts");
    Removal removal = removed(store.deleteAccount(accountId), "account " + accountId);
    audit.emit(actor.toString(), AuditAction.ACCOUNT_DELETED, accountId, accountId, AuditDetails.removal(removal));
  }

  // ---- principals

  @Override
  public Principal createUser(Actor actor, NewUser user) {
    Checks.notNull("actor", actor);
    Checks.notNull("user", user);
    Principal p = new Principal(user.ref(), user.name(), user.description(), Scope.account(user.ref().accountId()),
        user.roles(), user.permissions(), true, clock.instant(), 1);
    return insertPrincipal(actor, p, AuditAction.USER_CREATED, AuditDetails.grants(p));
  }

  @Override
  public Principal createServiceAccount(Actor actor, NewServiceAccount sa) {
    Checks.notNull("actor", actor);
    Checks.notNull("sa", sa);
    Principal p = new Principal(sa.ref(), sa.name(), sa.description(), sa.scope(), sa.roles(), sa.permissions(),
        true, clock.instant(), 1);
    return insertPrincipal(actor, p, AuditAction.SERVICE_ACCOUNT_CREATED, AuditDetails.serviceAccount(p));
  }

  @Override
  public Principal getPrincipal(Actor actor, PrincipalRef ref) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    return authorizer.authorize(actor, Action.VIEW_PRINCIPALS, ref);
  }

  @Override
  public Principal editPrincipal(Actor actor, PrincipalRef ref, PrincipalEdit edit, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    Checks.notNull("edit", edit);
    Authorizer.Caller caller = authorizer.caller(actor);
    Principal before = caller.authorize(Action.MANAGE_PRINCIPAL, ref);
    requireVersion("principal " + ref, before.version(), expectedVersion);
    Principal after = Edits.edited(before, edit);
    caller.permit(Action.MANAGE_PRINCIPAL, after); // the result must be covered too: no granting up
    return updatePrincipal(actor, before, after, expectedVersion, AuditAction.PRINCIPAL_UPDATED,
        AuditDetails.grants(after));
  }

  @Override
  public Principal setEnabled(Actor actor, PrincipalRef ref, boolean enabled, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    Principal before = authorizer.authorize(actor, Action.MANAGE_PRINCIPAL, ref);
    requireVersion("principal " + ref, before.version(), expectedVersion);
    if (before.enabled() == enabled) {
      return before;
    }
    return updatePrincipal(actor, before, before.withEnabled(enabled), expectedVersion,
        enabled ? AuditAction.PRINCIPAL_ENABLED : AuditAction.PRINCIPAL_DISABLED, Map.of());
  }

  @Override
  public void deletePrincipal(Actor actor, PrincipalRef ref, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    Principal judged = authorizer.authorize(actor, Action.MANAGE_PRINCIPAL, ref);
    requireVersion("principal " + ref, judged.version(), expectedVersion);
    // Compare-and-set on the version the policy judged: a concurrent change (a promotion beyond
    // what this actor covers, say) makes the delete fail instead of going through unjudged.
    Optional<Removal> deleted = store.deletePrincipal(ref, judged.version());
    if (deleted.isEmpty() && store.findPrincipal(ref).isPresent()) {
      throw lostRace("principal " + ref, expectedVersion);
    }
    Removal removal = removed(deleted, Authorizer.describe(ref));
    emit(actor, AuditAction.PRINCIPAL_DELETED, ref, ref, AuditDetails.removal(removal));
  }

  @Override
  public Page<Principal> listPrincipals(Actor actor, String accountId, PrincipalType type, PageRequest page) {
    Checks.notNull("actor", actor);
    Checks.notNull("accountId", accountId);
    Checks.notNull("type", type);
    Checks.notNull("page", page);
    Scope.account(accountId); // checks the id: the rule and message of every account id
    authorizer.caller(actor).permitListing(accountId);
    return store.listPrincipals(accountId, type, page);
  }

  // ---- API keys

  @Override
  public ApiKey createApiKey(Actor actor, NewApiKey request) {
    Checks.notNull("actor", actor);
    Checks.notNull("request", request);
    ApiKeyRef ref = request.ref();
    Principal owner = authorizer.authorize(actor, Action.MINT_CREDENTIALS, ref.owner());
    Scope scope = CredentialRules.keyScope(owner, request.scope());
    if (request.rateLimit() != null) {
      engine.limiter().requireAvailable();
    }
    CredentialRules.requireWithinRights(request.restriction(), owner, null, "an API key");
    requireWithinActor(actor, request.restriction(), "create an API key");
    ApiKey key = new ApiKey(ref, request.name(), request.description(), request.tags(), scope,
        request.defaultTokenLifetime(), clock.instant(), 1, request.restriction(), request.rateLimit());
    Duration lifetime = request.defaultTokenLifetime();
    if (lifetime != null) {
      CredentialRules.checkDefaultLifetime(lifetime, limits);
    }
    store.insertApiKey(key, limits.maxApiKeysPerPrincipal());
    emit(actor, AuditAction.API_KEY_CREATED, ref.owner(), ref, AuditDetails.withRateLimit(
        Map.of("scope", scope.toString(), "restriction", key.restriction().toString()), key.rateLimit()));
    return key;
  }

  @Override
  public ApiKey getApiKey(Actor actor, ApiKeyRef ref) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    authorizer.authorize(actor, Action.VIEW_CREDENTIALS, ref.owner());
    return requireApiKey(ref);
  }

  @Override
  public ApiKey editApiKey(Actor actor, ApiKeyRef ref, ApiKeyEdit edit, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    Checks.notNull("edit", edit);
    Principal owner = authorizer.authorize(actor, Action.EDIT_CREDENTIALS, ref.owner());
    if (edit.rateLimit() != null) {
      engine.limiter().requireAvailable();
    }
    ApiKey before = requireApiKey(ref);
    requireVersion("API key " + ref, before.version(), expectedVersion);
    ApiKey after = Edits.edited(before, edit);
    RestrictionEdit restriction = restrictionEdit(actor, owner, before.restriction(), after.restriction(), () -> null,
        "an API key", AuditAction.API_KEY_UPDATED, AuditAction.API_KEY_RESTRICTION_WIDENED);
    requireUpdated(store.updateApiKey(before.version(), after), "API key " + ref, expectedVersion);
    if (ChangeFeed.affectsVerification(before, after)) {
      // the key's restriction and rate limit are read with each of its tokens: narrowing takes effect
      // here at once, like a revocation
      engine.invalidateTokensOf(ref);
    }
    emit(actor, restriction.action(), ref.owner(), ref,
        AuditDetails.merge(restriction.details(), AuditDetails.rateLimitEdited(edit, after.rateLimit())));
    return after;
  }

  @Override
  public void deleteApiKey(Actor actor, ApiKeyRef ref, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    authorizer.authorize(actor, Action.REVOKE_CREDENTIALS, ref.owner());
    Optional<Removal> deleted;
    if (expectedVersion == null) {
      deleted = store.deleteApiKey(ref);
    } else {
      deleted = store.deleteApiKey(ref, expectedVersion); // compare-and-set in the store
      if (deleted.isEmpty()) {
        Optional<ApiKey> current = store.findApiKey(ref);
        if (current.isPresent()) {
          requireVersion("API key " + ref, current.get().version(), expectedVersion);
          throw lostRace("API key " + ref, expectedVersion); // deleted and created again in between
        }
      }
    }
    Removal removal = removed(deleted, "API key " + ref);
    emit(actor, AuditAction.API_KEY_DELETED, ref.owner(), ref, AuditDetails.removal(removal));
  }

  @Override
  public Page<ApiKey> listApiKeys(Actor actor, PrincipalRef owner, PageRequest page) {
    Checks.notNull("actor", actor);
    Checks.notNull("owner", owner);
    Checks.notNull("page", page);
    authorizer.authorize(actor, Action.VIEW_CREDENTIALS, owner);
    return store.listApiKeys(owner, page);
  }

  // ---- tokens

  @Override
  public IssuedToken issueToken(Actor actor, NewToken request) {
    Checks.notNull("actor", actor);
    Checks.notNull("request", request);
    if (request.rateLimit() != null) {
      engine.limiter().requireAvailable();
    }
    Instant now = clock.instant();
    Instant expiresAt = newTokenExpiry(actor, Action.MINT_CREDENTIALS, request.ref(), request.expiration(),
        request.restriction(), now);
    Minted minted = minter.issue(request, now, expiresAt);
    insertToken(minted.record(), now);
    Map<String, String> details = AuditDetails.expiry(minted.token());
    if (!request.restriction().isNone()) {
      details = new java.util.HashMap<>(details);
      details.put("restriction", request.restriction().toString());
    }
    emit(actor, AuditAction.TOKEN_ISSUED, request.ref().owner(), request.ref(),
        AuditDetails.withRateLimit(Map.copyOf(details), minted.token().rateLimit()));
    return minted.issued();
  }

  @Override
  public Token importToken(Actor actor, LegacyToken legacy) {
    Checks.notNull("actor", actor);
    Checks.notNull("token", legacy);
    CredentialRules.requireImportable(legacy, engine);
    Instant now = clock.instant();
    Instant expiresAt = newTokenExpiry(actor, Action.IMPORT_TOKEN, legacy.ref(), legacy.expiration(),
        Restriction.NONE, now);
    TokenRecord imported = minter.imported(legacy, now, expiresAt);
    insertToken(imported, now);
    emit(actor, AuditAction.TOKEN_IMPORTED, legacy.ref().owner(), legacy.ref(),
        AuditDetails.imported(imported.token(), legacy.legacyTokenId()));
    return imported.token();
  }

  @Override
  public Token getToken(Actor actor, TokenRef ref) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    authorizer.authorize(actor, Action.VIEW_CREDENTIALS, ref.owner());
    return requireToken(ref).token();
  }

  @Override
  public Token editToken(Actor actor, TokenRef ref, TokenEdit edit, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    Checks.notNull("edit", edit);
    Principal owner = authorizer.authorize(actor, Action.EDIT_CREDENTIALS, ref.owner());
    if (edit.rateLimit() != null) {
      engine.limiter().requireAvailable();
    }
    TokenRecord before = requireToken(ref);
    requireVersion("token " + ref, before.token().version(), expectedVersion);
    Instant now = clock.instant();
    Expiration expiration = edit.expiration();
    TokenRecord after = expiration == null
        ? Edits.edited(before, edit)
        : Edits.edited(before, edit, resolve(expiration, ref.apiKey(), now), now);
    RestrictionEdit restriction = restrictionEdit(actor, owner, before.token().restriction(),
        after.token().restriction(), () -> requireApiKey(ref.apiKey()).restriction(), "a token",
        AuditAction.TOKEN_UPDATED, AuditAction.TOKEN_RESTRICTION_WIDENED);
    replaceToken(before.token(), after, expectedVersion, changedConcurrently("token " + ref));
    Map<String, String> details = new java.util.HashMap<>();
    if (expiration != null) {
      details.putAll(AuditDetails.expiryEdited(after.token()));
    }
    details.putAll(restriction.details());
    details.putAll(AuditDetails.rateLimitEdited(edit.editsRateLimit(), after.token().rateLimit()));
    emit(actor, restriction.action(), ref.owner(), ref, Map.copyOf(details));
    return after.token();
  }

  @Override
  public IssuedToken rotateToken(Actor actor, TokenRef ref, Rotation rotation) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    Checks.notNull("rotation", rotation);
    authorizer.authorize(actor, Action.MINT_CREDENTIALS, ref.owner());
    CredentialRules.checkGrace(rotation.grace(), limits);
    TokenRecord before = requireToken(ref);
    requireWithinActor(actor, before.token().restriction(), "rotate (and so obtain the value of) a token");
    Instant now = clock.instant();
    CredentialRules.requireRotatable(before.token(), rotation, now);
    Expiration newExpiration = rotation.newExpiration();
    Instant expiresAt = newExpiration != null
        ? resolve(newExpiration, ref.apiKey(), now)
        : before.token().expiresAt();
    Minted minted = minter.rotate(before, expiresAt,
        CredentialRules.rotationGraceEnd(rotation.grace(), before.token().expiresAt(), expiresAt, now), now);
    replaceToken(before.token(), minted.record(), rotation.expectedVersion(), "token " + ref
        + " was changed concurrently (another rotation or edit won); this rotation did not happen");
    emit(actor, AuditAction.TOKEN_ROTATED, ref.owner(), ref, AuditDetails.rotated(minted.token(), rotation.grace()));
    return minted.issued();
  }

  @Override
  public Token revokeToken(Actor actor, TokenRef ref, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    authorizer.authorize(actor, Action.REVOKE_CREDENTIALS, ref.owner());
    TokenRecord before = requireToken(ref);
    requireVersion("token " + ref, before.token().version(), expectedVersion);
    if (before.token().status() == TokenStatus.REVOKED) {
      engine.invalidateToken(before.token().lookupId()); // revoked elsewhere: make it effective here at once too
      return before.token();
    }
    TokenRecord after = Edits.revoked(before);
    replaceToken(before.token(), after, expectedVersion, changedConcurrently("token " + ref));
    emit(actor, AuditAction.TOKEN_REVOKED, ref.owner(), ref, Map.of());
    return after.token();
  }

  @Override
  public void deleteToken(Actor actor, TokenRef ref, @Nullable Long expectedVersion) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    authorizer.authorize(actor, Action.REVOKE_CREDENTIALS, ref.owner());
    Optional<Removal> deleted;
    if (expectedVersion == null) {
      deleted = store.deleteToken(ref);
    } else {
      deleted = store.deleteToken(ref, expectedVersion); // compare-and-set in the store
      if (deleted.isEmpty()) {
        Optional<TokenRecord> current = store.findToken(ref);
        if (current.isPresent()) {
          requireVersion("token " + ref, current.get().token().version(), expectedVersion);
          throw lostRace("token " + ref, expectedVersion); // deleted and created again in between
        }
      }
    }
    removed(deleted, "token " + ref);
    emit(actor, AuditAction.TOKEN_DELETED, ref.owner(), ref, Map.of());
  }

  @Override
  public Page<Token> listTokens(Actor actor, ApiKeyRef apiKey, PageRequest page) {
    Checks.notNull("actor", actor);
    Checks.notNull("apiKey", apiKey);
    Checks.notNull("page", page);
    authorizer.authorize(actor, Action.VIEW_CREDENTIALS, apiKey.owner());
    requireApiKey(apiKey);
    return store.listTokens(apiKey, page).map(TokenRecord::token);
  }

  @Override
  public Page<Token> listTokensExpiringBetween(Actor actor, Instant from, Instant to, PageRequest page) {
    Checks.notNull("actor", actor);
    Checks.notNull("from", from);
    Checks.notNull("to", to);
    Checks.notNull("page", page);
    authorizer.requireSystem(actor, "list expiring tokens across accounts");
    if (!from.isBefore(to)) {
      throw new InvalidArgumentException("'from' must be before 'to'");
    }
    return store.expiringTokenQuery()
        .orElseThrow(() -> unsupported("the expiring-tokens query (TokenStore.expiringTokenQuery())"))
        .listTokensExpiringBetween(from, to, page).map(TokenRecord::token);
  }

  @Override
  public List<Duration> expiryNoticesSent(Actor actor, TokenRef ref) {
    Checks.notNull("actor", actor);
    Checks.notNull("ref", ref);
    authorizer.authorize(actor, Action.VIEW_CREDENTIALS, ref.owner());
    Token token = requireToken(ref).token();
    ExpiryNoticeLog notices = store.expiryNoticeLog()
        .orElseThrow(() -> unsupported("the expiry-notice log (TokenStore.expiryNoticeLog())"));
    Instant expiresAt = token.expiresAt();
    if (expiresAt == null) {
      return List.of();
    }
    return notices.claimed(token.lookupId(), expiresAt).stream().sorted(Comparator.reverseOrder()).toList();
  }

  @Override
  public Page<AuditEvent> listAuditEvents(Actor actor, AuditQuery query, PageRequest page) {
    Checks.notNull("actor", actor);
    Checks.notNull("query", query);
    Checks.notNull("page", page);
    Authorizer.Caller caller = authorizer.caller(actor);
    AuditQuery q = query;
    String own = caller.accountId();
    if (own != null) {
      if (q.accountId() == null) {
        q = q.account(own);
      }
      caller.requireOwnAccount(q.accountId());
      PrincipalRef subject = q.principal();
      // whoever may read the whole account may also read about principals deleted since
      if (!caller.mayReadAccountAudit(own)) {
        if (subject == null) {
          caller.permitAccountAudit(own);
        } else {
          caller.authorize(Action.VIEW_AUDIT, subject);
        }
      }
    }
    AuditTrail trail = store.auditTrail().orElseThrow(() -> unsupported("the audit trail (TokenStore.auditTrail())"));
    return trail.query(q, page);
  }

  @Override
  public List<HashUsage> hashUsage(Actor actor) {
    authorizer.requireSystem(actor, "read hash usage");
    return store.hashUsageQuery()
        .orElseThrow(() -> unsupported("hash-usage statistics (TokenStore.hashUsageQuery())"))
        .hashUsage();
  }

  private static UnsupportedByStoreException unsupported(String capability) {
    return new UnsupportedByStoreException("the configured token store does not offer " + capability
        + "; use a store that does, such as JdbcTokenStore or MemoryTokenStore");
  }

  // ---- steps shared by several operations

  private Principal insertPrincipal(Actor actor, Principal p, AuditAction action, Map<String, String> details) {
    authorizer.caller(actor).permit(Action.MANAGE_PRINCIPAL, p);
    store.insertPrincipal(p);
    emit(actor, action, p.ref(), p.ref(), details);
    return p;
  }

  private Principal updatePrincipal(Actor actor, Principal before, Principal after, @Nullable Long expectedVersion,
      AuditAction action, Map<String, String> details) {
    requireUpdated(store.updatePrincipal(before.version(), after), "principal " + after.ref(), expectedVersion);
    engine.invalidatePrincipal(after.ref());
    emit(actor, action, after.ref(), after.ref(), details);
    return after;
  }

  /** Issue and import: authorized, the key exists, the owner is enabled; returns the new token's expiry. */
  private @Nullable Instant newTokenExpiry(
      Actor actor, Action action, TokenRef ref, Expiration expiration, Restriction restriction, Instant now) {
    Principal owner = authorizer.authorize(actor, action, ref.owner());
    ApiKey key = requireApiKey(ref.apiKey());
    CredentialRules.requireWithinRights(restriction, owner, key.restriction(), "a token");
    requireWithinActor(actor, restriction, action == Action.IMPORT_TOKEN ? "import a token" : "issue a token");
    if (!owner.enabled()) {
      throw new ConflictException(Authorizer.describe(ref.owner()) + " is disabled; enable it before "
          + (action == Action.IMPORT_TOKEN ? "importing" : "issuing") + " tokens");
    }
    return expiration.resolve(now, key.defaultTokenLifetime(), limits);
  }

  /** The outcome of {@link #restrictionEdit}: the edit's audit action, and the restriction before and after if it changed. */
  private record RestrictionEdit(AuditAction action, Map<String, String> details) {}

  /**
   * The rule of a restriction edit, one for keys and tokens: an edit that only narrows (or leaves
   * the restriction as it is) is always allowed; one that widens anything must lie within the
   * owner's current rights and, for a token, its key's restriction ({@code keyRestriction}, read
   * only then; null for a key), and within the restrictions of a token the actor acts through.
   * Throws as {@link CredentialRules#requireWithinRights} and {@link #requireWithinActor} do;
   * otherwise returns {@code widened} as the audit action of a widening edit, else {@code updated}.
   *
   * @param what the credential, for messages: "an API key", "a token"
   */
  private static RestrictionEdit restrictionEdit(Actor actor, Principal owner, Restriction was, Restriction is,
      Supplier<@Nullable Restriction> keyRestriction, String what, AuditAction updated,
      AuditAction widened) {
    boolean widens = !is.isWithin(was);
    if (widens) {
      CredentialRules.requireWithinRights(is, owner, keyRestriction.get(), what);
      requireWithinActor(actor, is, "widen " + what + "'s restriction");
    } else if (!is.equals(was)) {
      // a narrowing that first restricts names only what the owner (and the key) allow, as on create
      CredentialRules.requireWithinRights(CredentialRules.newlyNamed(was, is), owner, keyRestriction.get(), what);
    }
    return new RestrictionEdit(widens ? widened : updated,
        was.equals(is) ? Map.of() : AuditDetails.restriction(was, is));
  }

  /**
   * An actor acting through a restricted token (see {@link Actor#of(dev.latchkey.Verified)}) may
   * only create, widen or rotate credentials restricted within each of its own restrictions: no
   * restricted token can give itself or its principal a less restricted one.
   */
  private static void requireWithinActor(Actor actor, Restriction restriction, String what) {
    for (Restriction own : actor.restrictions()) {
      if (!restriction.isWithin(own)) {
        throw new PermissionDeniedException(actor + " acts through a restricted token (" + own
            + ") and may not " + what + " with a wider restriction (" + restriction + ")");
      }
    }
  }

  private void insertToken(TokenRecord token, Instant now) {
    store.insertToken(token, limits.maxTokensPerApiKey(), now);
    // a negative entry exists only if the id was presented before: guessed, or a legacy token used before its import
    engine.invalidateToken(token.token().lookupId());
  }

  /**
   * Compare-and-set on the token's version; then this node's verifier forgets the old record. When
   * the caller expected a version (already checked equal to {@code before}'s), losing the race is a
   * version mismatch.
   */
  private void replaceToken(Token before, TokenRecord after, @Nullable Long expectedVersion, String lostRace) {
    if (!store.updateToken(before.version(), after)) {
      throw expectedVersion != null ? new VersionMismatchException(lostRace) : new ConflictException(lostRace);
    }
    engine.invalidateToken(before.lookupId());
  }

  private @Nullable Instant resolve(Expiration expiration, ApiKeyRef key, Instant now) {
    return expiration.resolve(now, requireApiKey(key).defaultTokenLifetime(), limits);
  }

  private ApiKey requireApiKey(ApiKeyRef ref) {
    return store.findApiKey(ref).orElseThrow(() -> notFound("API key " + ref));
  }

  private TokenRecord requireToken(TokenRef ref) {
    return store.findToken(ref).orElseThrow(() -> notFound("token " + ref));
  }

  /** What a delete removed, which this node's verifier forgets at once. */
  private Removal removed(Optional<Removal> removal, String what) {
    Removal r = removal.orElseThrow(() -> notFound(what));
    engine.invalidateTokens(r.tokenLookupIds());
    engine.invalidatePrincipals(r.principals());
    return r;
  }

  private static void requireUpdated(boolean updated, String what, @Nullable Long expectedVersion) {
    if (!updated) {
      throw lostRace(what, expectedVersion);
    }
  }

  /**
   * A compare-and-set on the version just read failed: someone changed the entity in between. For a
   * caller who named the version it read, that is a version mismatch; otherwise a plain conflict.
   */
  private static ConflictException lostRace(String what, @Nullable Long expectedVersion) {
    return expectedVersion != null
        ? new VersionMismatchException(what + " was changed concurrently after it was read at version "
            + expectedVersion + "; nothing was changed; re-read it and retry")
        : new ConflictException(changedConcurrently(what));
  }

  /** The caller's expected version, if any, must be the one read. */
  private static void requireVersion(String what, long current, @Nullable Long expectedVersion) {
    if (expectedVersion != null && expectedVersion != current) {
      throw new VersionMismatchException(what + " is at version " + current + ", not " + expectedVersion
          + " as expected; it was changed since it was read; nothing was changed");
    }
  }

  private static String changedConcurrently(String what) {
    return what + " was changed concurrently; re-read it and retry";
  }

  private static NotFoundException notFound(String what) {
    return new NotFoundException(what + " does not exist");
  }

  private void emit(Actor actor, AuditAction action, PrincipalRef owner, Object target, Map<String, String> details) {
    audit.emit(actor.toString(), action, owner.accountId(), target.toString(), details);
  }
}
