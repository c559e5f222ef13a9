package dev.latchkey.web;

import dev.latchkey.Account;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditQuery;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenRef;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The management API's resources: the path is taken apart segment by segment (identifiers are
 * {@code [A-Za-z_][A-Za-z0-9_]*}, so no segment needs decoding), then the method picks the
 * {@link TokenManager} call. Everything below {@code api/v1/}:
 *
 * <pre>
 * session                                                     GET
 * openapi.json                                                GET
 * accounts                                                    GET POST          (system)
 * accounts/{a}                                                GET DELETE
 * accounts/{a}/{users|service-accounts}                       GET POST
 * accounts/{a}/{users|service-accounts}/{p}                   GET PATCH DELETE
 * accounts/{a}/{users|service-accounts}/{p}/{enable|disable}  POST
 * .../{p}/api-keys                                            GET POST
 * .../{p}/api-keys/{k}                                        GET PATCH DELETE
 * .../{p}/api-keys/{k}/tokens                                 GET POST
 * .../{p}/api-keys/{k}/legacy-tokens                          POST
 * .../{p}/api-keys/{k}/tokens/{t}                             GET PATCH DELETE
 * .../{p}/api-keys/{k}/tokens/{t}/{rotate|revoke}             POST
 * accounts/{a}/audit-events                                   GET
 * expiring-tokens                                             GET               (system)
 * hash-usage                                                  GET               (system)
 * </pre>
 *
 * Restrictions and rate limits are members of a key and a token (read, created and PATCHed with
 * them; see {@link Inputs}), not resources: {@code .../api-keys/{k}/restrictions} and {@code
 * .../tokens/{t}/restrictions} stay reserved, not routes (404), and nothing else claims those names.
 */
final class ManagementApi {
  /** The window of {@code GET expiring-tokens} when neither {@code to} nor {@code within} is given. */
  static final Duration DEFAULT_EXPIRING_WINDOW = Duration.ofDays(30);

  private final TokenManager manager;
  private final Clock clock;
  private final Csrf csrf;
  private final byte[] openApi;

  ManagementApi(TokenManager manager, Clock clock, Csrf csrf, byte[] openApi) {
    this.manager = manager;
    this.clock = clock;
    this.csrf = csrf;
    this.openApi = openApi;
  }

  /** A path after {@code api/v1/}, taken apart: which resource, with which identifiers. */
  private enum Resource {
    SESSION("GET"),
    OPENAPI("GET"),
    ACCOUNTS("GET", "POST"),
    ACCOUNT("GET", "DELETE"),
    PRINCIPALS("GET", "POST"),
    PRINCIPAL("GET", "PATCH", "DELETE"),
    PRINCIPAL_ENABLE("POST"),
    PRINCIPAL_DISABLE("POST"),
    API_KEYS("GET", "POST"),
    API_KEY("GET", "PATCH", "DELETE"),
    TOKENS("GET", "POST"),
    LEGACY_TOKENS("POST"),
    TOKEN("GET", "PATCH", "DELETE"),
    TOKEN_ROTATE("POST"),
    TOKEN_REVOKE("POST"),
    EXPIRING_TOKENS("GET"),
    HASH_USAGE("GET"),
    AUDIT_EVENTS("GET");

    final List<String> methods;

    Resource(String... methods) {
      this.methods = List.of(methods);
    }
  }

  /** The resource and its identifiers; {@code template} names the route for logs (no identifiers). */
  private record Target(Resource resource, String template, @Nullable String account, @Nullable PrincipalType type,
      @Nullable String principal, @Nullable String key, @Nullable String token) {
    PrincipalRef principalRef() {
      return new PrincipalRef(account, type, principal);
    }

    ApiKeyRef keyRef() {
      return principalRef().apiKey(key);
    }

    TokenRef tokenRef() {
      return keyRef().token(token);
    }
  }

  /** The route template for logging, or "?" when the path is not a route. */
  static String template(String path) {
    Target t = route(path);
    return t == null ? "?" : t.template();
  }

  private static @Nullable Target route(String path) {
    String[] s = path.isEmpty() ? new String[0] : path.split("/", -1);
    if (s.length == 1) {
      switch (s[0]) {
        case "session":
          return target(Resource.SESSION, "session", s);
        case "openapi.json":
          return target(Resource.OPENAPI, "openapi.json", s);
        case "accounts":
          return target(Resource.ACCOUNTS, "accounts", s);
        case "expiring-tokens":
          return target(Resource.EXPIRING_TOKENS, "expiring-tokens", s);
        case "hash-usage":
          return target(Resource.HASH_USAGE, "hash-usage", s);
        default:
          return null;
      }
    }
    if (s.length < 2 || !s[0].equals("accounts")) {
      return null;
    }
    if (s.length == 2) {
      return target(Resource.ACCOUNT, "accounts/{account}", s);
    }
    if (s.length == 3 && s[2].equals("audit-events")) {
      return target(Resource.AUDIT_EVENTS, "accounts/{account}/audit-events", s);
    }
    PrincipalType type;
    if (s[2].equals("users")) {
      type = PrincipalType.USER;
    } else if (s[2].equals("service-accounts")) {
      type = PrincipalType.SERVICE_ACCOUNT;
    } else {
      return null;
    }
    String p = "accounts/{account}/" + s[2];
    switch (s.length) {
      case 3:
        return target(Resource.PRINCIPALS, p, s, type);
      case 4:
        return target(Resource.PRINCIPAL, p + "/{id}", s, type);
      case 5:
        switch (s[4]) {
          case "enable":
            return target(Resource.PRINCIPAL_ENABLE, p + "/{id}/enable", s, type);
          case "disable":
            return target(Resource.PRINCIPAL_DISABLE, p + "/{id}/disable", s, type);
          case "api-keys":
            return target(Resource.API_KEYS, p + "/{id}/api-keys", s, type);
          default:
            return null;
        }
      default:
        break;
    }
    if (!s[4].equals("api-keys")) {
      return null;
    }
    String k = p + "/{id}/api-keys/{key}";
    switch (s.length) {
      case 6:
        return target(Resource.API_KEY, k, s, type);
      case 7:
        switch (s[6]) {
          case "tokens":
            return target(Resource.TOKENS, k + "/tokens", s, type);
          case "legacy-tokens":
            return target(Resource.LEGACY_TOKENS, k + "/legacy-tokens", s, type);
          default:
            return null;
        }
      case 8:
        return s[6].equals("tokens") ? target(Resource.TOKEN, k + "/tokens/{token}", s, type) : null;
      case 9:
        if (!s[6].equals("tokens")) {
          return null;
        }
        switch (s[8]) {
          case "rotate":
            return target(Resource.TOKEN_ROTATE, k + "/tokens/{token}/rotate", s, type);
          case "revoke":
            return target(Resource.TOKEN_REVOKE, k + "/tokens/{token}/revoke", s, type);
          default:
            return null;
        }
      default:
        return null;
    }
  }

  private static Target target(Resource r, String template, String[] s) {
    return target(r, template, s, null);
  }

  private static Target target(Resource r, String template, String[] s, @Nullable PrincipalType type) {
    String account = s.length > 1 && s[0].equals("accounts") ? s[1] : null;
    return new Target(r, template, account, type, s.length > 3 ? s[3] : null, s.length > 5 ? s[5] : null,
        s.length > 7 ? s[7] : null);
  }

  /** Answers the request for {@code path} (below {@code api/v1/}). */
  void handle(String path, Exchange ex) throws IOException {
    Target t = route(path);
    if (t == null) {
      throw Problem.notFound("no API resource at " + Body.shorten(path.isEmpty() ? "/" : path)
          + "; the OpenAPI document is at api/v1/openapi.json");
    }
    if (!t.resource().methods.contains(ex.method())) {
      throw new Problem(Problem.Type.METHOD_NOT_ALLOWED, ex.method() + " is not allowed on " + t.template()
          + "; allowed: " + String.join(", ", t.resource().methods))
          .header("Allow", String.join(", ", t.resource().methods));
    }
    boolean get = ex.method().equals("GET");
    if (!get) {
      ex.onlyParameters();
    }
    Actor actor = ex.caller.actor();
    switch (t.resource()) {
      case SESSION:
        session(ex);
        return;
      case OPENAPI:
        ex.onlyParameters();
        ex.response.setHeader("Cache-Control", "no-cache");
        ex.send(200, "application/openapi+json", new String(openApi, java.nio.charset.StandardCharsets.UTF_8));
        return;
      case ACCOUNTS:
        if (get) {
          PageRequest page = listPage(ex);
          ex.json(200, Representations.page(manager.listAccounts(actor, page), Representations::account));
        } else {
          Body b = Body.read(ex.request, false).only("id", "name");
          Account a = manager.createAccount(actor, b.string("id"), b.string("name"));
          ex.response.setHeader("Location", ex.apiBase() + "/accounts/" + a.id());
          ex.json(201, Representations.account(a));
        }
        return;
      case ACCOUNT:
        if (get) {
          ex.onlyParameters();
          ex.json(200, Representations.account(manager.getAccount(actor, t.account())));
        } else {
          if (ex.ifMatch().isPresent()) {
            manager.getAccount(actor, t.account()); // who may not read it learns nothing from a 412
          }
          rejectIfMatch(ex, "accounts have no version");
          manager.deleteAccount(actor, t.account());
          ex.noContent();
        }
        return;
      case PRINCIPALS:
        principals(ex, t, actor, get);
        return;
      case PRINCIPAL:
        principal(ex, t, actor);
        return;
      case PRINCIPAL_ENABLE:
      case PRINCIPAL_DISABLE:
        Body.read(ex.request, true).only();
        Principal changed = manager.setEnabled(actor, t.principalRef(), t.resource() == Resource.PRINCIPAL_ENABLE,
            expectedVersion(ex, () -> manager.getPrincipal(actor, t.principalRef()).version()));
        ex.json(200, Representations.principal(changed), changed.version());
        return;
      case API_KEYS:
        apiKeys(ex, t, actor, get);
        return;
      case API_KEY:
        apiKey(ex, t, actor);
        return;
      case TOKENS:
        tokens(ex, t, actor, get);
        return;
      case LEGACY_TOKENS: {
        Token imported = manager.importToken(actor, Inputs.legacyToken(t.keyRef(), Body.read(ex.request, false)));
        ex.created(tokenPath(imported.ref()), Representations.token(imported, clock.instant()), imported.version());
        return;
      }
      case TOKEN:
        token(ex, t, actor);
        return;
      case TOKEN_ROTATE:
        rotate(ex, t, actor);
        return;
      case TOKEN_REVOKE: {
        Body.read(ex.request, true).only();
        Token revoked = manager.revokeToken(actor, t.tokenRef(),
            expectedVersion(ex, () -> manager.getToken(actor, t.tokenRef()).version()));
        ex.json(200, Representations.token(revoked, clock.instant()), revoked.version());
        return;
      }
      case EXPIRING_TOKENS:
        expiring(ex, actor);
        return;
      case HASH_USAGE:
        ex.onlyParameters();
        ex.json(200, Representations.hashUsage(manager.hashUsage(actor)));
        return;
      case AUDIT_EVENTS:
        auditEvents(ex, actor, t.account());
        return;
      default:
        throw new AssertionError(t.resource());
    }
  }

  private void session(Exchange ex) throws IOException {
    ex.onlyParameters();
    Actor actor = ex.caller.actor();
    Json.Obj body = Json.obj()
        .put("actor", actor.toString())
        .put("credential", ex.caller.credential() == Caller.Credential.SESSION ? "session" : "bearer");
    if (actor.principal().isPresent()) {
      body.put("principal", Representations.principal(manager.getPrincipal(actor, actor.principal().get())));
    }
    if (ex.caller.credential() == Caller.Credential.SESSION) {
      body.put("csrfToken", csrf.token(ex.request).orElse(null));
    }
    ex.json(200, body.map());
  }

  private void principals(Exchange ex, Target t, Actor actor, boolean get) throws IOException {
    if (get) {
      if (t.type() == PrincipalType.SERVICE_ACCOUNT) {
        ex.onlyParameters("limit", "cursor", "scope");
        Optional<Scope> within = ex.parameter("scope").map(Scope::parse);
        if (within.isPresent() && !within.get().accountId().equals(t.account())) {
          throw Problem.invalid("scope " + within.get() + " is not in account " + t.account());
        }
        PageRequest page = page(ex);
        var listed = manager.listPrincipals(actor, t.account(), t.type(), page);
        ex.json(200, within.isEmpty()
            ? Representations.page(listed, Representations::principal)
            : Representations.filteredPage(listed, p -> within.get().contains(p.scope()), Representations::principal));
      } else {
        PageRequest page = listPage(ex);
        ex.json(200, Representations.page(manager.listPrincipals(actor, t.account(), t.type(), page),
            Representations::principal));
      }
      return;
    }
    Body b = Body.read(ex.request, false);
    Principal created;
    if (t.type() == PrincipalType.USER) {
      NewUser user = Inputs.newUser(t.account(), b);
      created = manager.createUser(actor, user);
    } else {
      NewServiceAccount sa = Inputs.newServiceAccount(t.account(), b);
      created = manager.createServiceAccount(actor, sa);
    }
    ex.created(principalPath(created.ref()), Representations.principal(created), created.version());
  }

  private void principal(Exchange ex, Target t, Actor actor) throws IOException {
    PrincipalRef ref = t.principalRef();
    switch (ex.method()) {
      case "GET": {
        ex.onlyParameters();
        Principal p = manager.getPrincipal(actor, ref);
        ex.json(200, Representations.principal(p), p.version());
        return;
      }
      case "PATCH": {
        var edit = Inputs.principalEdit(Body.read(ex.request, false));
        Principal p = manager.editPrincipal(actor, ref, edit,
            expectedVersion(ex, () -> manager.getPrincipal(actor, ref).version()));
        ex.json(200, Representations.principal(p), p.version());
        return;
      }
      default:
        manager.deletePrincipal(actor, ref, expectedVersion(ex, () -> manager.getPrincipal(actor, ref).version()));
        ex.noContent();
    }
  }

  private void apiKeys(Exchange ex, Target t, Actor actor, boolean get) throws IOException {
    if (get) {
      PageRequest page = listPage(ex);
      ex.json(200, Representations.page(manager.listApiKeys(actor, t.principalRef(), page), Representations::apiKey));
      return;
    }
    NewApiKey request = Inputs.newApiKey(t.principalRef(), Body.read(ex.request, false));
    ApiKey key = manager.createApiKey(actor, request);
    ex.created(keyPath(key.ref()), Representations.apiKey(key), key.version());
  }

  private void apiKey(Exchange ex, Target t, Actor actor) throws IOException {
    ApiKeyRef ref = t.keyRef();
    switch (ex.method()) {
      case "GET": {
        ex.onlyParameters();
        ApiKey k = manager.getApiKey(actor, ref);
        ex.json(200, Representations.apiKey(k), k.version());
        return;
      }
      case "PATCH": {
        var edit = Inputs.apiKeyEdit(Body.read(ex.request, false));
        ApiKey k = manager.editApiKey(actor, ref, edit,
            expectedVersion(ex, () -> manager.getApiKey(actor, ref).version()));
        ex.json(200, Representations.apiKey(k), k.version());
        return;
      }
      default:
        manager.deleteApiKey(actor, ref, expectedVersion(ex, () -> manager.getApiKey(actor, ref).version()));
        ex.noContent();
    }
  }

  private void tokens(Exchange ex, Target t, Actor actor, boolean get) throws IOException {
    if (get) {
      PageRequest page = listPage(ex);
      Instant now = clock.instant();
      ex.json(200, Representations.page(manager.listTokens(actor, t.keyRef(), page), tok -> Representations.token(tok, now)));
      return;
    }
    NewToken request = Inputs.newToken(t.keyRef(), Body.read(ex.request, false));
    IssuedToken issued = manager.issueToken(actor, request);
    secret(ex);
    ex.created(tokenPath(issued.ref()), Representations.issued(issued, clock.instant()), issued.token().version());
  }

  private void token(Exchange ex, Target t, Actor actor) throws IOException {
    TokenRef ref = t.tokenRef();
    switch (ex.method()) {
      case "GET": {
        ex.onlyParameters();
        Token tok = manager.getToken(actor, ref);
        ex.json(200, Representations.token(tok, clock.instant()), tok.version());
        return;
      }
      case "PATCH": {
        var edit = Inputs.tokenEdit(Body.read(ex.request, false));
        Token tok = manager.editToken(actor, ref, edit,
            expectedVersion(ex, () -> manager.getToken(actor, ref).version()));
        ex.json(200, Representations.token(tok, clock.instant()), tok.version());
        return;
      }
      default:
        manager.deleteToken(actor, ref, expectedVersion(ex, () -> manager.getToken(actor, ref).version()));
        ex.noContent();
    }
  }

  /**
   * Rotation honours If-Match as every change does: the version goes into {@link
   * Rotation#expectedVersion()}, so only one of several callers holding the same ETag rotates.
   */
  private void rotate(Exchange ex, Target t, Actor actor) throws IOException {
    TokenRef ref = t.tokenRef();
    Rotation rotation = Inputs.rotation(Body.read(ex.request, true)); // a bad body is a 400 before any 412
    @Nullable Long expected = expectedVersion(ex, () -> manager.getToken(actor, ref).version());
    if (expected != null) {
      rotation = rotation.ifVersion(expected);
    }
    IssuedToken issued = manager.rotateToken(actor, ref, rotation);
    secret(ex);
    ex.created(tokenPath(issued.ref()), Representations.issued(issued, clock.instant()), issued.token().version());
  }

  private void expiring(Exchange ex, Actor actor) throws IOException {
    ex.onlyParameters("from", "to", "within", "limit", "cursor");
    Instant from = ex.parameter("from").map(s -> Inputs.instant("from", s)).orElse(clock.instant());
    Optional<Instant> to = ex.parameter("to").map(s -> Inputs.instant("to", s));
    Optional<Duration> within = ex.parameter("within").map(s -> Inputs.duration("within", s));
    if (to.isPresent() && within.isPresent()) {
      throw Problem.invalid("give 'to' or 'within', not both");
    }
    Instant end = to.orElseGet(() -> from.plus(within.orElse(DEFAULT_EXPIRING_WINDOW)));
    PageRequest page = page(ex);
    Instant now = clock.instant();
    ex.json(200, Representations.page(manager.listTokensExpiringBetween(actor, from, end, page),
        tok -> Representations.token(tok, now)));
  }

  /**
   * The account's audit trail, newest first, filtered by the query parameters {@code principal},
   * {@code key}, {@code token} (paths as in audit events: {@code acme/sa/ci/k/t}), {@code since}
   * (inclusive) and {@code until} (exclusive). Who may read what is the manager's rule.
   */
  private void auditEvents(Exchange ex, Actor actor, String account) throws IOException {
    ex.onlyParameters("principal", "key", "token", "since", "until", "limit", "cursor");
    AuditQuery q = AuditQuery.all().account(account);
    Optional<String> principal = ex.parameter("principal");
    if (principal.isPresent()) {
      q = q.principal(PrincipalRef.parse(principal.get()));
    }
    Optional<String> key = ex.parameter("key");
    if (key.isPresent()) {
      q = q.apiKey(ApiKeyRef.parse(key.get()));
    }
    Optional<String> token = ex.parameter("token");
    if (token.isPresent()) {
      q = q.token(TokenRef.parse(token.get()));
    }
    Optional<String> since = ex.parameter("since");
    if (since.isPresent()) {
      q = q.since(Inputs.instant("since", since.get()));
    }
    Optional<String> until = ex.parameter("until");
    if (until.isPresent()) {
      q = q.until(Inputs.instant("until", until.get()));
    }
    PageRequest page = page(ex);
    ex.json(200, Representations.page(manager.listAuditEvents(actor, q, page), Representations::auditEvent));
  }

  /**
   * The response carries a token value: no cache anywhere may keep it (also set on every API
   * response, and again here so that this guarantee does not depend on the servlet's defaults).
   */
  private static void secret(Exchange ex) {
    ex.response.setHeader("Cache-Control", "no-store");
    ex.response.setHeader("Pragma", "no-cache");
  }

  /**
   * The version the change must find, from {@code If-Match}: null without the header or with {@code
   * *} (the change itself answers 404 for a missing entity). One strong tag that is a version number
   * is passed on as it is; the core compares it under the store's compare-and-set, so a change by
   * someone else at any moment before the write is a {@link dev.latchkey.VersionMismatchException}
   * (412), and the core authorizes before it compares (who may not change the entity gets 403, not
   * 412). For any other list, the entity is read as the caller (403 likewise) and, if one of the
   * tags names its version, that version is passed on; otherwise 412.
   */
  private static @Nullable Long expectedVersion(Exchange ex, LongSupplier currentVersion) {
    Optional<Exchange.IfMatch> ifMatch = ex.ifMatch();
    if (ifMatch.isEmpty() || ifMatch.get().any()) {
      return null;
    }
    Optional<Long> single = ifMatch.get().singleVersion();
    if (single.isPresent()) {
      return single.get();
    }
    long version = currentVersion.getAsLong();
    if (!ifMatch.get().matches(version)) {
      throw new Problem(Problem.Type.VERSION_MISMATCH, "the entity is at version " + version + " (ETag "
          + Exchange.etag(version) + "), not one If-Match names; it changed since it was read; nothing was changed");
    }
    return version;
  }

  private static void rejectIfMatch(Exchange ex, String why) {
    Optional<Exchange.IfMatch> ifMatch = ex.ifMatch();
    if (ifMatch.isPresent() && !ifMatch.get().any()) {
      throw new Problem(Problem.Type.VERSION_MISMATCH, why + ": only If-Match: * applies; nothing was changed");
    }
  }

  private static PageRequest listPage(Exchange ex) {
    ex.onlyParameters("limit", "cursor");
    return page(ex);
  }

  private static PageRequest page(Exchange ex) {
    int limit = ex.parameter("limit").map(ManagementApi::limit).orElse(PageRequest.DEFAULT_LIMIT);
    Optional<String> cursor = ex.parameter("cursor");
    return cursor.map(c -> PageRequest.after(c, limit)).orElse(PageRequest.first(limit));
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= PageRequest.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Problem.invalid("'limit' must be a whole number from 1 to " + PageRequest.MAX_LIMIT);
  }

  static String principalPath(PrincipalRef ref) {
    return "accounts/" + ref.accountId() + (ref.type() == PrincipalType.USER ? "/users/" : "/service-accounts/") + ref.id();
  }

  static String keyPath(ApiKeyRef ref) {
    return principalPath(ref.owner()) + "/api-keys/" + ref.id();
  }

  static String tokenPath(TokenRef ref) {
    return keyPath(ref.apiKey()) + "/tokens/" + ref.id();
  }
}
