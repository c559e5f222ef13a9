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

  private static String expiresAt(Token t) {
    return orElse(t.expiresAt(), "never");
  }

  private static String orElse(@Nullable Instant instant, String none) {
    return instant == null ? none : instant.toString();
  }
}
