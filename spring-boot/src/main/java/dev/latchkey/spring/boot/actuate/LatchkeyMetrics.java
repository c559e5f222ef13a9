package dev.latchkey.spring.boot.actuate;

import dev.latchkey.Latchkey;
import dev.latchkey.RejectReason;
import dev.latchkey.VerificationListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Latchkey's meters. Counters are read from {@link Latchkey#stats()} when a registry asks (nothing
 * is added to the verification path); the store-lookup timer is fed by this object as a {@link
 * VerificationListener}, which the auto-configured {@code Latchkey} bean is given (give it to your
 * own {@code Latchkey.builder().verificationListener(...)} if you build one yourself).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code latchkey.verify}</td><td>counter; tags {@code outcome} (valid, rejected,
 *       rate_limited) and {@code reason} (none, or the rejection reason: every {@link RejectReason}
 *       in lower case, such as malformed, unknown, bad_secret, expired, revoked, disabled,
 *       address_not_allowed, store_error, busy, throttled)</td></tr>
 *   <tr><td>{@code latchkey.cache.gets}</td><td>counter; tag {@code result} (hit, miss)</td></tr>
 *   <tr><td>{@code latchkey.store.errors}</td><td>counter: store failures while verifying</td></tr>
 *   <tr><td>{@code latchkey.store.lookup}</td><td>timer: store reads made while verifying</td></tr>
 *   <tr><td>{@code latchkey.changefeed.lag}</td><td>gauge, seconds since the last completed
 *       change-feed poll began (NaN without a change feed)</td></tr>
 *   <tr><td>{@code latchkey.changefeed.polls}, {@code latchkey.changefeed.changes}</td><td>counters:
 *       polls completed, changes applied</td></tr>
 *   <tr><td>{@code latchkey.lastused.pending}</td><td>gauge: last-used times not yet written</td></tr>
 * </table>
 *
 * Tag values are fixed words: no token, lookup id, principal or secret ever becomes a tag.
 */
public final class LatchkeyMetrics implements MeterBinder, VerificationListener {
  private final Supplier<Latchkey> latchkey;
  private final LongAdder lookups = new LongAdder();
  private final LongAdder lookupNanos = new LongAdder();

  /** @param latchkey looked up when a registry binds, so that this listener can exist before the bean */
  public LatchkeyMetrics(Supplier<Latchkey> latchkey) {
    this.latchkey = latchkey;
  }

  @Override
  public void onStoreLookup(long nanos) {
    lookups.increment();
    lookupNanos.add(nanos);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Latchkey l = latchkey.get();
    FunctionCounter.builder("latchkey.verify", l, k -> k.stats().valid())
        .description("Token verifications")
        .tags("outcome", "valid", "reason", "none")
        .register(registry);
    FunctionCounter.builder("latchkey.verify", l, k -> k.stats().rateLimited())
        .description("Token verifications")
        .tags("outcome", "rate_limited", "reason", "none")
        .register(registry);
    for (RejectReason reason : RejectReason.values()) {
      FunctionCounter.builder("latchkey.verify", l, k -> k.stats().rejected(reason))
          .description("Token verifications")
          .tags("outcome", "rejected", "reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    FunctionCounter.builder("latchkey.cache.gets", l, k -> k.stats().cacheHits())
        .description("Verification cache lookups")
        .tags("result", "hit")
        .register(registry);
    FunctionCounter.builder("latchkey.cache.gets", l, k -> k.stats().cacheMisses())
        .description("Verification cache lookups")
        .tags("result", "miss")
        .register(registry);
    FunctionCounter.builder("latchkey.store.errors", l, k -> k.stats().storeErrors())
        .description("Store failures while verifying (each rejected the request)")
        .register(registry);
    FunctionTimer.builder("latchkey.store.lookup", this, m -> m.lookups.sum(), m -> m.lookupNanos.sum(),
            TimeUnit.NANOSECONDS)
        .description("Store reads made while verifying (cache misses)")
        .register(registry);
    Gauge.builder("latchkey.changefeed.lag", l, k -> {
          long lag = k.stats().changeFeedLagMillis();
          return lag < 0 ? Double.NaN : lag / 1000.0;
        })
        .description("Seconds since the last completed change-feed poll began")
        .baseUnit("seconds")
        .register(registry);
    FunctionCounter.builder("latchkey.changefeed.polls", l, k -> k.stats().changeFeedPolls())
        .description("Change-feed polls completed")
        .register(registry);
    FunctionCounter.builder("latchkey.changefeed.changes", l, k -> k.stats().changesApplied())
        .description("Change-feed entries applied to this node's cache")
        .register(registry);
    Gauge.builder("latchkey.lastused.pending", l, k -> k.stats().lastUsedPending())
        .description("Last-used times noted but not yet written to the store")
        .register(registry);
  }
}
