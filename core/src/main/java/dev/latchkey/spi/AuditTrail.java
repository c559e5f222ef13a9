package dev.latchkey.spi;

import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Optional store capability ({@link TokenStore#auditTrail()}): keeps every {@link AuditEvent} for
 * later queries. Latchkey appends each event after the mutation it describes has been stored (not
 * in the same transaction: a failed append is logged and never undoes or fails the mutation), and
 * prunes events older than its audit retention.
 *
 * <p>Contract (checked by the store TCK):
 *
 * <ul>
 *   <li>{@link #append} stores the event exactly as given (instants to the nanosecond, every detail).
 *       An event holds only identifiers and settings, never a secret.
 *   <li>{@link #query} returns the events that {@link AuditQuery#matches} accepts, newest first (in
 *       the reverse order of their appends), paginated by key: the cursor is the store's own and
 *       opaque to callers; a cursor the store did not make is an {@link
 *       dev.latchkey.InvalidArgumentException}. Events appended while a reader pages do not disturb
 *       the pages after its cursor.
 *   <li>A store may keep a bounded number of events (the memory store keeps the newest ones); it
 *       says how many in its documentation.
 * </ul>
 *
 * A relational store indexes the event's account, principal, key and token paths (see {@link
 * #principalPath} and the methods after it) and its append sequence.
 */
public interface AuditTrail {
  void append(AuditEvent event);

  /** The events that match, newest first. */
  Page<AuditEvent> query(AuditQuery query, PageRequest page);

  /** Deletes the events recorded before {@code cutoff}; returns how many. */
  int pruneBefore(Instant cutoff);

  /** The path of the principal the event's target is, or lies under; null for an account event. */
  static @Nullable String principalPath(AuditEvent event) {
    return prefix(event.target(), 3);
  }

  /** The path of the API key the event's target is, or lies under; null above key level. */
  static @Nullable String apiKeyPath(AuditEvent event) {
    return prefix(event.target(), 4);
  }

  /** The path of the token the event's target is; null above token level. */
  static @Nullable String tokenPath(AuditEvent event) {
    return prefix(event.target(), 5);
  }

  /** The first {@code segments} '/'-separated segments of {@code path}, or null if it has fewer. */
  private static @Nullable String prefix(String path, int segments) {
    int end = -1;
    for (int i = 0; i < segments; i++) {
      end = path.indexOf('/', end + 1);
      if (end < 0) {
        return i == segments - 1 ? path : null;
      }
    }
    return path.substring(0, end);
  }
}
