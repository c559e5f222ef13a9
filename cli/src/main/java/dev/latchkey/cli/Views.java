package dev.latchkey.cli;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.AuditEvent;
import dev.latchkey.Page;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalType;
import dev.latchkey.Rejected;
import dev.latchkey.Token;
import dev.latchkey.TokenStatus;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields the CLI shows for each entity, as ordered maps: the same map is printed as JSON
 * ({@code --json}) or as aligned "field value" lines. No view ever contains a token value, a hash
 * or a pepper; {@link Token} has none to give.
 */
final class Views {
  private Views() {}

  static Map<String, Object> account(Account a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("name", a.name());
    m.put("createdAt", a.createdAt());
    return m;
  }

  static Map<String, Object> principal(Principal p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", p.ref().toString());
    m.put("type", p.ref().type() == PrincipalType.USER ? "user" : "service_account");
    m.put("account", p.ref().accountId());
    m.put("id", p.ref().id());
    m.put("name", p.name());
    m.put("description", p.description());
    m.put("scope", p.scope().toString());
    m.put("roles", new ArrayList<>(p.roles()));
    m.put("permissions", new ArrayList<>(p.permissions()));
    m.put("enabled", p.enabled());
    m.put("createdAt", p.createdAt());
    return m;
  }

  static Map<String, Object> apiKey(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", k.ref().toString());
    m.put("owner", k.owner().toString());
    m.put("id", k.ref().id());
    m.put("name", k.name());
    m.put("description", k.description());
    m.put("tags", k.tags());
    m.put("scope", k.scope().toString());
    m.put("defaultTokenLifetime", k.defaultTokenLifetime());
    m.put("restriction", RestrictionOptions.view(k.restriction()));
    m.put("restricted", k.restriction().toString());
    m.put("rateLimit", k.rateLimit() == null ? null : k.rateLimit().toString());
    m.put("createdAt", k.createdAt());
    return m;
  }

  /** Token metadata; {@code state} is the status judged at {@code now}: active, expired or revoked. */
  static Map<String, Object> token(Token t, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", t.ref().toString());
    m.put("apiKey", t.ref().apiKey().toString());
    m.put("id", t.ref().id());
    m.put("lookupId", t.lookupId());
    m.put("name", t.name());
    m.put("description", t.description());
    m.put("tags", t.tags());
    m.put("state", state(t, now));
    m.put("createdAt", t.createdAt());
    m.put("expiresAt", t.expiresAt());
    m.put("rotatedAt", t.rotatedAt());
    m.put("previousValidUntil", t.previousValidUntil());
    m.put("lastUsedAt", t.lastUsedAt());
    m.put("lastUsedFrom", t.lastUsedFrom() == null ? null : t.lastUsedFrom().toString());
    m.put("restriction", RestrictionOptions.view(t.restriction()));
    m.put("restricted", t.restriction().toString());
    m.put("rateLimit", t.rateLimit() == null ? null : t.rateLimit().toString());
    return m;
  }

  /**
   * A token of the expiring listing: its view plus {@code notified}, the expiry-notice thresholds
   * already sent for its current expiry (largest first, in the form options take: 30d, 7d).
   */
  static Map<String, Object> expiringToken(Token t, Instant now, List<Duration> notified) {
    Map<String, Object> m = token(t, now);
    m.put("notified", notified.stream().map(Output::duration).toList());
    return m;
  }

  /** One audit event: ids and settings only (an event holds nothing else). */
  static Map<String, Object> auditEvent(AuditEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", e.at());
    m.put("action", e.action().name());
    m.put("actor", e.actor());
    m.put("account", e.accountId());
    m.put("target", e.target());
    m.put("details", new TreeMap<>(e.details()));
    return m;
  }

  /** A page of token views, every state judged at the same {@code now}. */
  static Page<Map<String, Object>> tokens(Page<Token> page, Instant now) {
    return page.map(t -> token(t, now));
  }

  static String state(Token t, Instant now) {
    if (t.status() == TokenStatus.REVOKED) {
      return "revoked";
    }
    return t.isExpiredAt(now) ? "expired" : "active";
  }

  static Map<String, Object> verification(VerificationResult result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", result.isValid());
    if (result instanceof Verified v) {
      m.put("principal", v.principal().toString());
      m.put("scope", v.scope().toString());
      m.put("roles", new ArrayList<>(new java.util.TreeSet<>(v.roles())));
      m.put("permissions", new ArrayList<>(new java.util.TreeSet<>(v.permissions())));
      m.put("token", v.token().toString());
      m.put("lookupId", v.lookupId());
      m.put("expiresAt", v.expiresAt());
      m.put("keyRestriction", RestrictionOptions.view(v.keyRestriction()));
      m.put("tokenRestriction", RestrictionOptions.view(v.tokenRestriction()));
    } else {
      m.put("reason", ((Rejected) result).reason().name());
    }
    return m;
  }
}
