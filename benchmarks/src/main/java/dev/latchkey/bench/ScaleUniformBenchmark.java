package dev.latchkey.bench;

import dev.latchkey.VerificationResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory-bound variant of {@link ScaleBenchmark}: every stored token is cached ({@code
 * cacheMaximumSize} is twice the token count) and each call verifies one picked uniformly among
 * all of them, so with 1,000,000 tokens almost every call misses the CPU caches. Not a target.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@State(Scope.Benchmark)
public class ScaleUniformBenchmark extends ScalePopulation {

  @Override
  long cacheSize() {
    return Math.max(2L * tokens, DEFAULT_CACHE_SIZE);
  }

  @Benchmark
  public VerificationResult uniform(Picker picker, CpuMeter cpu) {
    return verifyAny(picker);
  }
}
