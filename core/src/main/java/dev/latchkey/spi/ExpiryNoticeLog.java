package dev.latchkey.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Optional store capability ({@link TokenStore#expiryNoticeLog()}): which expiry notices were sent,
 * so that every notice goes out once although every node runs the notice job. A notice is named by
 * the token's lookup id, the expiry it warns of, and the threshold (a token whose expiry is edited
 * gets notices for its new expiry).
 *
 * <p>Contract (checked by the store TCK): of any number of concurrent {@link #claim} calls for one
 * notice, on any nodes, exactly one returns true, and every later call returns false (until the
 * notice is pruned). A relational store inserts into a table whose primary key is the notice; a
 * key-value store does a put-if-absent.
 */
public interface ExpiryNoticeLog {
  /**
   * Records the notice as sent if it was not yet; true if this call recorded it (the caller then
   * sends it), false if it was recorded before.
   *
   * @param at when it is sent, kept for operators
   */
  boolean claim(String lookupId, Instant expiresAt, Duration threshold, Instant at);

  /** The thresholds whose notices were recorded for the token's expiry {@code expiresAt}. */
  Set<Duration> claimed(String lookupId, Instant expiresAt);

  /** Deletes the records of notices for expiries before {@code cutoff}; returns how many. */
  int pruneBefore(Instant cutoff);
}
