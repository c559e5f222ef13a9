package dev.latchkey.internal;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.PrincipalRef;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the store's change feed from a cursor and invalidates this node's cache entries for every
 * change, including changes made by other nodes. A gap in the sequence (the reader fell behind the
 * feed's retention) invalidates everything.
 */
final class ChangeFeedPoller {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeedPoller.class);
  static final int BATCH = 1000;

  private final ChangeFeed feed;
  private final VerificationEngine engine;
  private long cursor = -1;
  private int consecutiveFailures;
  // written only under this poller's lock, read by stats() from any thread
  private volatile long polls;
  private volatile long changesApplied;

  ChangeFeedPoller(ChangeFeed feed, VerificationEngine engine) {
    this.feed = feed;
    this.engine = engine;
  }

  synchronized void poll() {
    long start = engine.pollStart();
    try {
      if (cursor < 0) {
        cursor = feed.latestSequence();
        engine.invalidateAll();
      } else {
        drain();
      }
      engine.markPolled(start);
      polls++;
      if (consecutiveFailures > 0) {
        log.info("change feed readable again after {} failed polls", consecutiveFailures);
      }
      consecutiveFailures = 0;
    } catch (RuntimeException e) {
      consecutiveFailures++;
      if (consecutiveFailures == 1 || consecutiveFailures % 100 == 0) {
        log.warn("change feed poll failed ({} in a row); cache entries older than the staleness bound"
            + " will be re-read from the store: {}", consecutiveFailures, StoreFailures.describe(e));
      }
    }
  }

  /** Polls that completed (read the feed and applied what they read). */
  long polls() {
    return polls;
  }

  /** Feed entries applied to the cache since this poller was built. */
  long changesApplied() {
    return changesApplied;
  }

  private void drain() {
    while (true) {
      List<Change> batch = feed.changesSince(cursor, BATCH);
      if (batch.isEmpty()) {
        return;
      }
      if (batch.get(0).sequence() != cursor + 1) {
        log.warn("change feed skipped from {} to {} (pruned before this node read it); invalidating the whole cache",
            cursor, batch.get(0).sequence());
        engine.invalidateAll();
      }
      for (Change c : batch) {
        // counted before it takes effect: whoever observes the effect (a rejection after the
        // invalidation) also observes the count, so tests can tell a change came through the feed
        changesApplied++;
        apply(c);
        cursor = c.sequence();
      }
    }
  }

  private void apply(Change c) {
    switch (c.type()) {
      case TOKEN:
        engine.invalidateToken(c.subject());
        break;
      case PRINCIPAL:
        try {
          engine.invalidatePrincipal(PrincipalRef.parse(c.subject()));
        } catch (InvalidArgumentException e) {
          log.warn("change {} names an unparseable principal; invalidating the whole cache", c.sequence());
          engine.invalidateAll();
        }
        break;
      default:
        engine.invalidateAll();
    }
  }
}
