package dev.latchkey.internal;

import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditListener;
import dev.latchkey.spi.AuditTrail;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits audit events: to the store's audit trail (if it keeps one), then to the listener. Both come
 * after the mutation is stored and both are best effort: a failing trail or listener is logged (by
 * class and SQLState, not message) and ignored, so an audit failure never fails, or half-undoes, a
 * management call that already happened. The trail can therefore miss an event when the store fails
 * between the mutation and the append; the listener still receives it.
 */
final class Audit {
  private static final Logger log = LoggerFactory.getLogger(Audit.class);
  private final AuditListener listener;
  private final @Nullable AuditTrail trail;
  private final Clock clock;

  Audit(AuditListener listener, Clock clock) {
    this(listener, null, clock);
  }

  Audit(AuditListener listener, @Nullable AuditTrail trail, Clock clock) {
    this.listener = listener;
    this.trail = trail;
    this.clock = clock;
  }

  void emit(String actor, AuditAction action, String accountId, String target, Map<String, String> details) {
    AuditEvent event = new AuditEvent(clock.instant(), actor, action, accountId, target, details);
    if (trail != null) {
      try {
        trail.append(event);
      } catch (RuntimeException e) {
        log.warn("audit trail append failed for action={} target={} (the change itself is stored): {}", action,
            target, StoreFailures.describe(e));
      }
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.error("audit listener failed for action={} target={}: {}", action, target, e.getClass().getName());
    }
  }
}
