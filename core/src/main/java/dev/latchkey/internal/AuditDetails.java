package dev.latchkey.internal;

import dev.latchkey.Principal;
import dev.latchkey.Token;
import dev.latchkey.spi.Removal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The details of the management audit events, in one place: ids, counts, grants, scopes and times.
 * Never a secret, a token value or a hash: audit listeners log and ship these.
 */
final class AuditDetails {
  private AuditDetails() {}

  static Map<String, String> removal(Removal removal) {
    return Map.of("principalsRemoved", Integer.toString(removal.principals().size()),
        "tokensRemoved", Integer.toString(removal.tokenLookupIds().size()));
  }

  static Map<String, String> grants(Principal p) {
    return Map.of("roles", String.join(",", p.roles()), "permissions", String.join(",", p.permissions()),
        "enabled", Boolean.toString(p.enabled()));
  }

  static Map<String, String> serviceAccount(Principal p) {
    Map<String, String> details = new HashMap<>(grants(p));
    details.put("scope", p.scope().toString());
    return details;
  }

  static Map<String, String> expiry(Token t) {
    return Map.of("lookupId", t.lookupId(), "expiresAt", expiresAt(t));
  }

  static Map<String, String> expiryEdited(Token t) {
    return Map.of("expiresAt", expiresAt(t));
  }

  static Map<String, String> imported(Token t, String legacyTokenId) {
    return Map.of("lookupId", t.lookupId(), "expiresAt", expiresAt(t), "legacyTokenId", legacyTokenId);
  }

  static Map<String, String> rotated(Token t, Duration grace) {
    return Map.of("lookupId", t.lookupId(), "expiresAt", expiresAt(t), "grace", grace.toString(),
        "previousValidUntil", orElse(t.previousValidUntil(), "none"));
  }

  /** A restriction change: before and after, as {@link dev.latchkey.Restriction#toString()} (names and ranges, nothing secret). */
  static Map<String, String> restriction(dev.latchkey.Restriction before, dev.latchkey.Restriction after) {
    return Map.of("restrictionBefore", before.toString(), "restrictionAfter", after.toString());
  }

  private static String expiresAt(Token t) {
    return orElse(t.expiresAt(), "never");
  }

  private static String orElse(@Nullable Instant instant, String none) {
    return instant == null ? none : instant.toString();
  }

  /** {@code details} plus the rate limit, if there is one. */
  static Map<String, String> withRateLimit(Map<String, String> details, dev.latchkey.@Nullable RateLimit limit) {
    if (limit == null) {
      return details;
    }
    Map<String, String> all = new HashMap<>(details);
    all.put("rateLimit", limit.toString());
    return Map.copyOf(all);
  }

  /** The rate limit after an edit that set or removed it ("none"); nothing when the edit left it. */
  static Map<String, String> rateLimitEdited(boolean edited, dev.latchkey.@Nullable RateLimit after) {
    return edited ? Map.of("rateLimit", after == null ? "none" : after.toString()) : Map.of();
  }

  static Map<String, String> rateLimitEdited(dev.latchkey.ApiKeyEdit edit, dev.latchkey.@Nullable RateLimit after) {
    return rateLimitEdited(edit.editsRateLimit(), after);
  }

  static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    Map<String, String> all = new HashMap<>(a);
    all.putAll(b);
    return Map.copyOf(all);
  }
}
