package dev.latchkey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives an {@link AuditEvent} after every successful mutation. Called synchronously on the
 * mutating thread after the change is stored; an exception from a listener is logged and does not
 * undo the change.
 */
@FunctionalInterface
public interface AuditListener {
  void onEvent(AuditEvent event);

  /** Logs each event at INFO to the logger {@code dev.latchkey.audit}: ids and settings only. */
  static AuditListener slf4j() {
    Logger log = LoggerFactory.getLogger("dev.latchkey.audit");
    return e -> log.info(
        "audit action={} actor={} account={} target={} details={} at={}",
        e.action(), e.actor(), e.accountId(), e.target(), new java.util.TreeMap<>(e.details()), e.at());
  }

  static AuditListener none() {
    return e -> {};
  }
}
