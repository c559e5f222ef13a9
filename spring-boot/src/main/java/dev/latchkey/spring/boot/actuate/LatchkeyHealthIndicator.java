package dev.latchkey.spring.boot.actuate;

import dev.latchkey.Actor;
import dev.latchkey.Latchkey;
import dev.latchkey.PageRequest;
import dev.latchkey.PepperKeyset;
import dev.latchkey.VerificationStats;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Latchkey's health: UP when the store answers a read, the change feed (if the store has one) was
 * read within the staleness bound, and the pepper keyset is loaded. Details name versions, times and
 * exception classes only: never key material, tokens or identifiers of tokens.
 */
public final class LatchkeyHealthIndicator implements HealthIndicator {
  private final Latchkey latchkey;
  private final PepperKeyset peppers;

  /** @param peppers the keyset the Latchkey bean was built with, or null if unknown */
  public LatchkeyHealthIndicator(Latchkey latchkey, PepperKeyset peppers) {
    this.latchkey = latchkey;
    this.peppers = peppers;
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up();
    try {
      // a cheap read through the public API: one page of one account
      latchkey.manager().listAccounts(Actor.system(), PageRequest.first(1));
      health.withDetail("store", "reachable");
    } catch (RuntimeException e) {
      health.down().withDetail("store", "unreachable (" + e.getClass().getSimpleName() + ")");
    }
    VerificationStats stats = latchkey.stats();
    Duration bound = latchkey.stalenessBound();
    long lag = stats.changeFeedLagMillis();
    if (lag < 0) {
      health.withDetail("changeFeed", "none (cached entries are re-read after " + bound + ")");
    } else {
      boolean fresh = lag <= bound.toMillis();
      health.withDetail("changeFeed", fresh ? "fresh" : "stale");
      health.withDetail("changeFeedLag", Duration.ofMillis(lag).toString());
      health.withDetail("stalenessBound", bound.toString());
      if (!fresh) {
        health.down();
      }
    }
    if (peppers != null) {
      health.withDetail("peppers", "loaded");
      health.withDetail("pepperVersions", peppers.versions());
      health.withDetail("primaryPepper", peppers.primaryVersion());
    } else {
      health.withDetail("peppers", "loaded (the Latchkey instance could not have been built otherwise)");
    }
    health.withDetail("lastUsedPending", stats.lastUsedPending());
    return health.build();
  }
}
