package dev.latchkey.bench;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.PrincipalRef;
import dev.latchkey.VerificationResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The setup shared by {@link ScaleBenchmark} and {@link ScaleUniformBenchmark}: {@code tokens}
 * tokens issued through {@code TokenManager} (100 per key, 100 keys per service account, as the
 * default limits allow, so 1,000,000 tokens live under 100 service accounts), each verified once,
 * then a hot set of 1,000 verified twenty times over, so that the hot set is cached with its fast
 * secret check as in real use.
 */
@State(Scope.Benchmark)
public abstract class ScalePopulation {
  /** Latchkey's default {@code cacheMaximumSize}; the hot set fits, most of 1,000,000 tokens do not. */
  static final long DEFAULT_CACHE_SIZE = 100_000;

  static final int HOT_SET = 1_000;
  private static final int TOKENS_PER_KEY = 100;
  private static final int KEYS_PER_PRINCIPAL = 100;

  @Param({"1000", "1000000"})
  public int tokens;

  /**
   * The builder's {@code stalenessBound}, ISO-8601; the default {@code PT1S} is Latchkey's. Pass
   * {@code -p stalenessBound=PT10M} to see how much of a score is due to cache entries going stale
   * (see {@code README.md}, "Findings").
   */
  @Param({"PT1S"})
  public String stalenessBound;

  private Fixture fixture;
  private String[] all;
  private String[] hot;

  /** Per-thread random picks. */
  @State(Scope.Thread)
  public static class Picker {
    final SplittableRandom random = new SplittableRandom(42);
  }

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    long start = System.nanoTime();
    fixture = Fixture.open(Backend.MEMORY, b -> b.cacheMaximumSize(cacheSize())
        .stalenessBound(Duration.parse(stalenessBound)));
    all = new String[tokens];
    PrincipalRef owner = fixture.bot;
    ApiKeyRef key = null;
    for (int i = 0; i < tokens; i++) {
      if (i % TOKENS_PER_KEY == 0) {
        int keyNumber = i / TOKENS_PER_KEY;
        if (keyNumber > 0 && keyNumber % KEYS_PER_PRINCIPAL == 0) {
          owner = fixture.serviceAccount("bench_bot_" + keyNumber / KEYS_PER_PRINCIPAL);
        }
        key = fixture.apiKey(owner, "k" + keyNumber);
      }
      all[i] = fixture.issue(key, "t" + i % TOKENS_PER_KEY).value().reveal();
    }
    long issuedAt = System.nanoTime();
    for (String token : all) {
      Fixture.requireVerified(fixture.verifier.verify(token));
    }
    long verifiedAt = System.nanoTime();

    SplittableRandom random = new SplittableRandom(7);
    String[] shuffled = all.clone();
    for (int i = 0; i < HOT_SET; i++) {
      int j = i + random.nextInt(shuffled.length - i);
      String t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    hot = Arrays.copyOf(shuffled, HOT_SET);
    // When the cache holds fewer than all tokens, make the hot set what it is in real use: the
    // most frequently used entries (W-TinyLFU admits and keeps by frequency).
    for (int round = 0; round < 20; round++) {
      for (String token : hot) {
        Fixture.requireVerified(fixture.verifier.verify(token));
      }
    }
    System.gc();

    // Setup used every token once within seconds, which no steady state does: write those
    // last-used times now, and read the change feed last (after the collection above, which can
    // pause for seconds), so that the run starts with a drained background thread and a fresh
    // poll instead of paying for setup with entries that look older than the staleness bound.
    fixture.latchkey.flushLastUsed();
    fixture.latchkey.pollChanges();
    long settledAt = System.nanoTime();

    String label = "setup." + Fixture.label(params);
    Facts.record(label + ".issued", all.length);
    Facts.record(label + ".issueMillis", (issuedAt - start) / 1_000_000);
    Facts.record(label + ".firstVerifyMillis", (verifiedAt - issuedAt) / 1_000_000);
    Facts.record(label + ".gcAndFlushMillis", (settledAt - verifiedAt) / 1_000_000);
    Facts.record(label + ".firstVerifyCacheMisses", fixture.latchkey.stats().cacheMisses());
    fixture.markRunStart();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    fixture.recordRun("run." + Fixture.label(params));
    fixture.close();
    all = null;
    hot = null;
  }

  /** The cache size the benchmark runs with. */
  abstract long cacheSize();

  VerificationResult verifyHot(Picker picker) {
    return fixture.verifier.verify(hot[picker.random.nextInt(HOT_SET)]);
  }

  VerificationResult verifyAny(Picker picker) {
    String[] a = all;
    return fixture.verifier.verify(a[picker.random.nextInt(a.length)]);
  }
}
