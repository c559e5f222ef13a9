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
 * Cached-valid verification latency as the number of stored tokens grows from 1,000 to 1,000,000,
 * memory store, one thread, Latchkey's default cache size (100,000): only the store grows.
 *
 * <p>Setup issues {@code tokens} tokens through {@code TokenManager} (100 per key, 100 keys per
 * service account, as the default limits allow, so 1,000,000 tokens live under 100 service
 * accounts), then verifies every one once, then the hot set twenty times over, so that the hot set
 * is cached with its fast secret check as in real use. {@link ScaleUniformBenchmark} runs the same
 * setup with a cache that holds every token.
 *
 * <ul>
 *   <li>{@code hotSet}: each call verifies one of 1,000 tokens chosen at random in setup, picked
 *       at random per call: the same working set size for every {@code tokens}, so only the size
 *       of the store differs. This is the "flat within 20%" target;
 *   <li>{@link ScaleUniformBenchmark#uniform}: each call picks uniformly among all {@code tokens}
 *       tokens, with every token cached. With 1,000,000 the working set is far larger than the CPU
 *       caches, so this measures memory latency. Reported for honesty, not a target.
 * </ul>
 *
 * The random pick (a {@link SplittableRandom} per thread, a few nanoseconds) is part of every
 * score, equally.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@State(Scope.Benchmark)
public class ScaleBenchmark extends ScalePopulation {

  /** Latchkey's default cache size: only the store grows between the two token counts. */
  @Override
  long cacheSize() {
    return DEFAULT_CACHE_SIZE;
  }

  @Benchmark
  public VerificationResult hotSet(Picker picker, CpuMeter cpu) {
    return verifyHot(picker);
  }
}
