package dev.latchkey.internal;

import dev.latchkey.ExpiryListener;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Token;
import dev.latchkey.TokenExpiring;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.ExpiryNoticeLog;
import dev.latchkey.spi.TokenRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiry-notice job. Each run reads the active tokens expiring within the largest threshold and,
 * for each, the smallest threshold its remaining time has reached; it claims that notice in the
 * store's {@link ExpiryNoticeLog} and tells the listener only if the claim was its own. So every
 * node may run the job at any time: a notice goes out once, from whichever node claims it first.
 *
 * <p>A token first seen with less time left than several thresholds (issued for 5 days, thresholds
 * 30, 7 and 1 days) gets only the smallest one reached (7 days): the larger ones would say less.
 */
final class ExpiryNotifier {
  private static final Logger log = LoggerFactory.getLogger(ExpiryNotifier.class);
  static final int PAGE = 500;
  /** Records of notices for expiries this long past are pruned: their tokens have expired. */
  static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

  private final ExpiringTokenQuery query;
  private final ExpiryNoticeLog notices;
  private final ExpiryListener listener;
  private final Clock clock;
  /** Ascending. */
  private final List<Duration> thresholds;

  ExpiryNotifier(ExpiringTokenQuery query, ExpiryNoticeLog notices, ExpiryListener listener, Clock clock,
      List<Duration> thresholds) {
    this.query = query;
    this.notices = notices;
    this.listener = listener;
    this.clock = clock;
    this.thresholds = thresholds.stream().sorted().toList();
  }

  /** One run; returns how many notices this node sent. Runs are serialized per instance. */
  synchronized int run() {
    Instant now = clock.instant();
    Duration largest = thresholds.get(thresholds.size() - 1);
    int sent = 0;
    PageRequest request = PageRequest.first(PAGE);
    while (true) {
      Page<TokenRecord> page = query.listTokensExpiringBetween(now, now.plus(largest), request);
      for (TokenRecord r : page.items()) {
        if (notify(r.token(), now)) {
          sent++;
        }
      }
      Optional<PageRequest> next = page.next(PAGE);
      if (next.isEmpty()) {
        break;
      }
      request = next.get();
    }
    notices.pruneBefore(now.minus(KEEP_AFTER_EXPIRY));
    return sent;
  }

  private boolean notify(Token token, Instant now) {
    Instant expiresAt = Objects.requireNonNull(token.expiresAt(), "the expiring-tokens query returned a token without expiry");
    Duration remaining = Duration.between(now, expiresAt);
    if (remaining.isNegative() || remaining.isZero()) {
      return false; // expired at this very instant (the query's window includes its start): too late to warn
    }
    Duration threshold = thresholds.stream().filter(t -> remaining.compareTo(t) <= 0).findFirst().orElse(null);
    if (threshold == null || !notices.claim(token.lookupId(), expiresAt, threshold, now)) {
      return false;
    }
    try {
      listener.onTokenExpiring(new TokenExpiring(token.ref(), token.lookupId(), expiresAt, threshold));
    } catch (RuntimeException e) {
      log.error("expiry listener failed for token lookupId={} threshold={}: {}", token.lookupId(), threshold,
          e.getClass().getName());
    }
    return true;
  }
}
