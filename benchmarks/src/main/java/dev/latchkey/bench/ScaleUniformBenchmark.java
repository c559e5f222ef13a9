package dev.latchkey.bench;

import dev.latchkey.VerificationResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory-bound variant of {@link ScaleBenchmark}: each call verifies a token picked uniformly
 * among all of them. With {@code cache=fit} every stored token is cached ({@code cacheMaximumSize}
 * is twice the token count), so with 1,000,000 tokens almost every call misses the CPU caches but
 * none misses Latchkey's cache; with {@code cache=default} the cache keeps Latchkey's default
 * 100,000 entries, so with 1,000,000 tokens about nine calls in ten read the (memory) store: what
 * not raising {@code cacheMaximumSize} costs. Not a target.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@State(Scope.Benchmark)
public class ScaleUniformBenchmark extends ScalePopulation {

  /** {@code fit}: twice the token count (at least the default); {@code default}: Latchkey's 100,000. */
  @Param({"fit", "default"})
  public String cache;

  @Override
  long cacheSize() {
    return "default".equals(cache) ? DEFAULT_CACHE_SIZE : Math.max(2L * tokens, DEFAULT_CACHE_SIZE);
  }

  @Benchmark
  public VerificationResult uniform(Picker picker, CpuMeter cpu) {
    return verifyAny(picker);
  }
}
