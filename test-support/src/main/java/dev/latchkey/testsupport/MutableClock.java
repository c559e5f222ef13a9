package dev.latchkey.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that tests move by hand, and can break: after {@link #failWith} every reading throws
 * (to provoke a failure the code under test does not expect). Thread-safe: {@link #advance} from
 * several threads adds up. {@link #withZone} returns this clock: every reading is an instant, and
 * nothing under test formats local times from it.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private volatile RuntimeException failure;

  public MutableClock(Instant start) {
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
    this.now = new AtomicReference<>(start);
  }

  /** Moves the clock forward (or back, for a negative duration). */
  public void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  public void set(Instant instant) {
    if (instant == null) {
      throw new IllegalArgumentException("instant is required");
    }
    now.set(instant);
  }

  /** From now on every reading of the clock throws {@code e}. */
  public void failWith(RuntimeException e) {
    failure = e;
  }

  @Override
  public Instant instant() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    return now.get();
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
