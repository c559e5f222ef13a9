package dev.latchkey.internal;

import dev.latchkey.IpAddress;
import dev.latchkey.spi.LastUse;
import dev.latchkey.spi.LastUsedSink;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last-used times, noted in memory on the hot path and written to the store in batches, off the hot
 * path. Each cached token is noted at most once per {@code resolutionMillis}, so a busy token costs a
 * field read per verification. A batch is written when the flush interval passes or when {@code
 * batchSize} tokens are pending. A failed write drops that batch only (logged); the next batch is
 * unaffected. The client address (if the verification had one) travels with the time: per token
 * the latest noted (time, address) wins, in the same batch, so addresses cost no extra writes. A
 * store without a {@link LastUsedSink} gets a recorder that never notes anything.
 */
final class LastUsedRecorder {
  private static final Logger log = LoggerFactory.getLogger(LastUsedRecorder.class);

  /** Null when the store records no last use; then nothing is ever noted. */
  private final LastUsedSink sink;
  private final Executor background;
  private final long resolutionMillis;
  private final int batchSize;
  private final ConcurrentHashMap<String, Noted> pending = new ConcurrentHashMap<>();

  /** A noted use; allocated at most once per token per resolution, never on other hits. */
  private record Noted(long millis, @Nullable IpAddress from) {
    static Noted later(Noted a, Noted b) {
      return b.millis >= a.millis ? b : a;
    }
  }
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  private final Object flushLock = new Object();

  /** @param sink the store's last-used sink, or null if it has none */
  LastUsedRecorder(LastUsedSink sink, Executor background, long resolutionMillis, int batchSize) {
    this.sink = sink;
    this.background = background;
    // Without a sink, a resolution no clock difference reaches: note() returns at its first check,
    // so the verification path stays exactly as it is with a sink.
    this.resolutionMillis = sink == null ? Long.MAX_VALUE : resolutionMillis;
    this.batchSize = batchSize;
  }

  void note(TokenEntry entry, long nowMillis, @Nullable IpAddress from) {
    if (nowMillis - entry.lastUsedNotedMillis < resolutionMillis) {
      return;
    }
    entry.lastUsedNotedMillis = nowMillis;
    pending.merge(entry.lookupId(), new Noted(nowMillis, from), Noted::later);
    if (pending.size() >= batchSize && flushQueued.compareAndSet(false, true)) {
      try {
        background.execute(() -> {
          flushQueued.set(false);
          flush();
        });
      } catch (RejectedExecutionException e) {
        flushQueued.set(false);
      }
    }
  }

  /** Tokens whose last-used time is waiting to be written. */
  int pending() {
    return pending.size();
  }

  /** Maximum batches one scheduled flush writes; the rest waits for the next run. */
  static final int MAX_BATCHES_PER_RUN = 4;

  /**
   * Writes at most {@value #MAX_BATCHES_PER_RUN} batches and returns, so that a steady stream of
   * notes never keeps a background thread busy for good; stops at the first failed batch (which is
   * dropped).
   */
  void flush() {
    flush(MAX_BATCHES_PER_RUN);
  }

  /** Writes everything pending, batch by batch (explicit flushes and close). */
  void flushAll() {
    flush(Integer.MAX_VALUE);
  }

  private void flush(int maxBatches) {
    synchronized (flushLock) {
      for (int written = 0; written < maxBatches && !pending.isEmpty(); written++) {
        Map<String, LastUse> batch = new HashMap<>();
        Iterator<Map.Entry<String, Noted>> it = pending.entrySet().iterator();
        while (it.hasNext() && batch.size() < batchSize) {
          Map.Entry<String, Noted> e = it.next();
          if (pending.remove(e.getKey(), e.getValue())) {
            batch.put(e.getKey(), new LastUse(Instant.ofEpochMilli(e.getValue().millis()), e.getValue().from()));
          }
        }
        if (batch.isEmpty()) {
          return;
        }
        try {
          sink.recordLastUses(batch);
        } catch (RuntimeException e) {
          log.warn("could not record last-used times of {} tokens; that batch is dropped: {}",
              batch.size(), StoreFailures.describe(e));
          return;
        }
      }
    }
  }
}
