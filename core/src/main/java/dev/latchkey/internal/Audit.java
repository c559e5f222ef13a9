package dev.latchkey.internal;

import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditListener;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Emits audit events; a failing listener is logged (by class, not message) and ignored. */
final class Audit {
  private static final Logger log = LoggerFactory.getLogger(Audit.class);
  private final AuditListener listener;
  private final Clock clock;

  Audit(AuditListener listener, Clock clock) {
    this.listener = listener;
    this.clock = clock;
  }

  void emit(String actor, AuditAction action, String accountId, String target, Map<String, String> details) {
    try {
      listener.onEvent(new AuditEvent(clock.instant(), actor, action, accountId, target, details));
    } catch (RuntimeException e) {
      log.error("audit listener failed for action={} target={}: {}", action, target, e.getClass().getName());
    }
  }
}
