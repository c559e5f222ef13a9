package dev.latchkey;

import java.time.Instant;
import java.util.Map;

/**
 * One mutation: who did what to which entity, and when. Never contains a token value, secret, hash
 * or pepper, and no free text (names, descriptions, tags): only identifiers and settings.
 *
 * @param actor {@code system} or the acting principal's path
 * @param target the path of the entity acted upon, e.g. {@code acme/sa/ci/deploy/pipeline}
 * @param details settings of the change, e.g. {@code grace=PT5M}, {@code expiresAt=...}
 */
public record AuditEvent(
    Instant at, String actor, AuditAction action, String accountId, String target, Map<String, String> details) {
  public AuditEvent {
    details = Map.copyOf(details);
  }
}
