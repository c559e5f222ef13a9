package dev.latchkey.bench.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop HTTP load on localhost, one target at a time, with HdrHistogram for the latency
 * percentiles. Each of {@code threads} client threads sends a request, waits for the answer, sends
 * the next (HTTP/1.1, kept-alive connections of the JDK's {@link HttpClient}). Every target is
 * warmed up, then the targets are measured in {@code rounds} short slices, in rotating order, so
 * that drift of the shared machine spreads over all of them alike. A non-200 answer is counted as
 * an error (and makes the run invalid).
 */
public final class SpringHttpBenchmark {

  /** One contender: a path and the headers it is called with. */
  public record Target(String name, String path, String... headers) {}

  public record Settings(Duration warmup, Duration measure, int rounds, int threads) {}

  /** The aggregate of one target's measured slices. */
  public record Result(String name, long requests, long errors, double seconds, Histogram latency) {
    public double throughput() {
      return requests / seconds;
    }

    public double micros(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    public double meanMicros() {
      return latency.getMean() / 1000.0;
    }
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  public SpringHttpBenchmark(int port) {
    this.port = port;
  }

  public Map<String, Result> run(List<Target> targets, Settings s) throws InterruptedException {
    for (int i = 0; i < 2; i++) {
      for (Target t : targets) {
        slice(t, s.warmup().dividedBy(2), s.threads(), null, new AtomicLong(), new AtomicLong());
      }
    }
    Map<String, Recorder> recorders = new LinkedHashMap<>();
    Map<String, AtomicLong> counts = new LinkedHashMap<>();
    Map<String, AtomicLong> errors = new LinkedHashMap<>();
    Map<String, Long> nanos = new LinkedHashMap<>();
    for (Target t : targets) {
      recorders.put(t.name(), new Recorder(3));
      counts.put(t.name(), new AtomicLong());
      errors.put(t.name(), new AtomicLong());
      nanos.put(t.name(), 0L);
    }
    Duration slice = s.measure().dividedBy(s.rounds());
    for (int round = 0; round < s.rounds(); round++) {
      for (int k = 0; k < targets.size(); k++) {
        Target t = targets.get((round + k) % targets.size()); // rotate the order every round
        long took = slice(t, slice, s.threads(), recorders.get(t.name()), counts.get(t.name()),
            errors.get(t.name()));
        nanos.merge(t.name(), took, Long::sum);
      }
    }
    Map<String, Result> results = new LinkedHashMap<>();
    for (Target t : targets) {
      results.put(t.name(), new Result(t.name(), counts.get(t.name()).get(), errors.get(t.name()).get(),
          nanos.get(t.name()) / 1e9, recorders.get(t.name()).getIntervalHistogram()));
    }
    return results;
  }

  /** Runs one target on all threads for {@code length}; returns the elapsed wall time in nanoseconds. */
  private long slice(Target t, Duration length, int threads, Recorder recorder, AtomicLong count, AtomicLong errors)
      throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + t.path()))
        .timeout(Duration.ofSeconds(10)).GET();
    if (t.headers().length > 0) {
      b.headers(t.headers());
    }
    HttpRequest request = b.build();
    CountDownLatch done = new CountDownLatch(threads);
    long start = System.nanoTime();
    long end = start + length.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread w = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
            long latency = System.nanoTime() - sent;
            if (r.statusCode() != 200) {
              errors.incrementAndGet();
            }
            if (recorder != null) {
              recorder.recordValue(latency);
            }
            count.incrementAndGet();
          }
        } catch (IOException e) {
          errors.incrementAndGet();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      }, "bench-client-" + i);
      workers.add(w);
      w.start();
    }
    done.await();
    return System.nanoTime() - start;
  }

  /** The table for RESULTS.md and the README. */
  public static String table(Map<String, Result> results, String baseline, String latchkey, Settings s) {
    Result a = results.get(baseline);
    Result b = results.get(latchkey);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d client thread(s), warm-up %.1f s per target, %.1f s measured per target"
        + " in %d rotating slices%n%n", s.threads(), s.warmup().toMillis() / 1000.0, s.measure().toMillis() / 1000.0,
        s.rounds()));
    sb.append("| endpoint | requests/s | p50 | p99 | mean | errors |\n|---|---:|---:|---:|---:|---:|\n");
    for (Result r : results.values()) {
      sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f µs | %.1f µs | %.1f µs | %d |%n", r.name(),
          r.throughput(), r.micros(50), r.micros(99), r.meanMicros(), r.errors()));
    }
    sb.append(String.format(Locale.ROOT, "%n(b)/(a): p50 %.3f, p99 %.3f, mean %.3f, throughput %.3f%n",
        b.micros(50) / a.micros(50), b.micros(99) / a.micros(99), b.meanMicros() / a.meanMicros(),
        b.throughput() / a.throughput()));
    return sb.toString();
  }
}
