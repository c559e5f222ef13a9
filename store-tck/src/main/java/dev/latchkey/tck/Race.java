package dev.latchkey.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs racers at the same moment: the contract's concurrency tests, and a store's own. */
public final class Race {
  /** How long a whole race may take before the test fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Race() {}

  /** One racer: gets its index, returns its result. */
  @FunctionalInterface
  public interface Racer<T> {
    T run(int index) throws Exception;
  }

  /**
   * Runs {@code task} on {@code n} threads at once, with indexes 0 to n - 1, released together, and
   * returns their results by index. A racer that throws (an assertion included) fails the race with
   * its exception as the cause, and so does a race not over within {@link #TIMEOUT}.
   */
  public static <T> List<T> race(int n, Racer<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> running = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        running.add(pool.submit(() -> {
          start.await();
          return task.run(index);
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : running) {
        results.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
