package dev.latchkey.web;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.IssuedToken;
import dev.latchkey.IpRange;
import dev.latchkey.Page;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.RateLimit;
import dev.latchkey.Restriction;
import dev.latchkey.Token;
import dev.latchkey.TokenStatus;
import dev.latchkey.HashUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Latchkey's values as the JSON the API answers with: the other class (with {@link Inputs}) that
 * knows both sides. Optional values that are absent are left out (never {@code null}), except a
 * key's or token's {@code restriction} and {@code rateLimit}, which are {@code null} for none; instants are
 * ISO-8601 UTC; sets and tag maps are sorted so equal entities serialize equally. A {@link Token}
 * has no value to show, and {@link #issued} is the only place a token value is written.
 */
final class Representations {
  private Representations() {}

  static Map<String, Object> account(Account a) {
    return Json.obj()
        .put("id", a.id())
        .put("name", a.name())
        .put("createdAt", a.createdAt().toString())
        .map();
  }

  static String typeName(PrincipalType type) {
    return type == PrincipalType.USER ? "user" : "service_account";
  }

  static Map<String, Object> principal(Principal p) {
    PrincipalRef ref = p.ref();
    return Json.obj()
        .put("account", ref.accountId())
        .put("type", typeName(ref.type()))
        .put("id", ref.id())
        .put("ref", ref.toString())
        .put("name", p.name())
        .put("description", p.description())
        .put("scope", p.scope().toString())
        .put("roles", List.copyOf(new TreeSet<>(p.roles())))
        .put("permissions", List.copyOf(new TreeSet<>(p.permissions())))
        .put("enabled", p.enabled())
        .put("createdAt", p.createdAt().toString())
        .put("version", p.version())
        .map();
  }

  static Map<String, Object> apiKey(ApiKey k) {
    PrincipalRef owner = k.owner();
    return Json.obj()
        .put("account", owner.accountId())
        .put("owner", owner.toString())
        .put("ownerType", typeName(owner.type()))
        .put("id", k.ref().id())
        .put("name", k.name())
        .put("description", k.description())
        .put("tags", new TreeMap<>(k.tags()))
        .put("scope", k.scope().toString())
        .put("defaultTokenLifetime", text(k.defaultTokenLifetime()))
        .put("restriction", restriction(k.restriction()))
        .put("rateLimit", rateLimit(k.rateLimit()))
        .put("createdAt", k.createdAt().toString())
        .put("version", k.version())
        .map();
  }

  /**
   * Token metadata. {@code status} is judged at {@code now}: {@code revoked}, else {@code expired}
   * once the expiry has passed, else {@code active}.
   */
  static Map<String, Object> token(Token t, Instant now) {
    PrincipalRef owner = t.owner();
    String status = t.status() == TokenStatus.REVOKED ? "revoked" : t.isExpiredAt(now) ? "expired" : "active";
    return Json.obj()
        .put("account", owner.accountId())
        .put("owner", owner.toString())
        .put("ownerType", typeName(owner.type()))
        .put("apiKey", t.ref().apiKey().id())
        .put("id", t.ref().id())
        .put("lookupId", t.lookupId())
        .put("name", t.name())
        .put("description", t.description())
        .put("tags", new TreeMap<>(t.tags()))
        .put("status", status)
        .put("createdAt", t.createdAt().toString())
        .put("expiresAt", text(t.expiresAt()))
        .put("rotatedAt", text(t.rotatedAt()))
        .put("previousValidUntil", text(t.previousValidUntil()))
        .put("lastUsedAt", text(t.lastUsedAt()))
        .put("lastUsedFrom", t.lastUsedFrom() == null ? null : t.lastUsedFrom().toString())
        .put("restriction", restriction(t.restriction()))
        .put("rateLimit", rateLimit(t.rateLimit()))
        .put("version", t.version())
        .map();
  }

  /**
   * A key's or token's restriction: JSON {@code null} for none (so that the member is always there
   * and reads as the PATCH that would set it); else {@code permissions} and {@code roles} as sorted
   * arrays, or {@code null} for a part that is not restricted, and {@code allowedAddresses} as
   * canonical CIDR text (empty: from anywhere).
   */
  static Object restriction(Restriction r) {
    if (r.isNone()) {
      return Json.NULL;
    }
    List<Object> ranges = new ArrayList<>();
    for (IpRange range : r.allowedAddresses()) {
      ranges.add(range.toString());
    }
    return Json.obj()
        .put("permissions", r.permissions() == null ? Json.NULL : List.copyOf(new TreeSet<>(r.permissions())))
        .put("roles", r.roles() == null ? Json.NULL : List.copyOf(new TreeSet<>(r.roles())))
        .put("allowedAddresses", ranges)
        .map();
  }

  /**
   * A rate limit: {@code requests} per {@code per} (ISO-8601, whole seconds), a bucket of {@code
   * burst}, and {@code text}, the same in {@link RateLimit#parse}'s form ({@code 10/1s}); JSON
   * {@code null} for none.
   */
  static Object rateLimit(@Nullable RateLimit l) {
    if (l == null) {
      return Json.NULL;
    }
    return Json.obj()
        .put("requests", l.requests())
        .put("per", l.per().toString())
        .put("burst", l.burst())
        .put("text", l.toString())
        .map();
  }

  /** The one representation with a token value: the body of a 201 from issue or rotate. */
  static Map<String, Object> issued(IssuedToken issued, Instant now) {
    return Json.obj()
        .put("token", token(issued.token(), now))
        .put("value", issued.value().reveal())
        .map();
  }

  /** An audit event: ids and settings only. */
  static Map<String, Object> auditEvent(dev.latchkey.AuditEvent e) {
    Json.Obj details = Json.obj();
    new TreeMap<>(e.details()).forEach(details::put);
    return Json.obj()
        .put("at", e.at().toString())
        .put("action", e.action().name())
        .put("actor", e.actor())
        .put("account", e.accountId())
        .put("target", e.target())
        .put("details", details.map())
        .map();
  }

  static Map<String, Object> hashUsage(List<HashUsage> usage) {
    List<Object> items = new ArrayList<>();
    for (HashUsage u : usage) {
      items.add(Json.obj().put("scheme", u.scheme()).put("pepperVersion", u.pepperVersion()).put("count", u.count()).map());
    }
    return Json.obj().put("items", items).map();
  }

  static <T> Map<String, Object> page(Page<T> page, Function<? super T, Map<String, Object>> item) {
    List<Object> items = new ArrayList<>(page.items().size());
    for (T t : page.items()) {
      items.add(item.apply(t));
    }
    return Json.obj().put("items", items).put("nextCursor", page.nextCursor()).map();
  }

  /** A page of which only some items are shown (a filter the store cannot apply); the cursor is kept. */
  static <T> Map<String, Object> filteredPage(Page<T> page, java.util.function.Predicate<? super T> keep,
      Function<? super T, Map<String, Object>> item) {
    List<T> kept = new ArrayList<>();
    for (T t : page.items()) {
      if (keep.test(t)) {
        kept.add(t);
      }
    }
    return page(Page.of(kept, page.nextCursor()), item);
  }

  /** ISO-8601 text, or null (the member is left out) for none. */
  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static @Nullable String text(@Nullable Duration duration) {
    return duration == null ? null : duration.toString();
  }
}
