package dev.latchkey.bench;

import dev.latchkey.VerificationResult;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Throughput of cached-valid verification with one and with two threads sharing one Latchkey
 * instance (memory store). Each thread verifies its own cached token, as two request threads
 * serving different clients would. The score is the total over all threads, in operations per
 * microsecond; the ratio {@code cachedValid2Threads / cachedValid1Thread} is the scaling figure
 * (ideal 2.0 on two idle cores). Two forks, because a single fork's JIT decisions can move a
 * throughput figure by more than the effect measured.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ThreadScalingBenchmark {
  private static final int TOKENS = 4;

  private Fixture fixture;
  private final String[] tokens = new String[TOKENS];
  private final AtomicInteger nextToken = new AtomicInteger();

  /** One verifying thread: picks its own token. */
  @State(Scope.Thread)
  public static class Caller {
    String token;

    @Setup(Level.Trial)
    public void pick(ThreadScalingBenchmark shared) {
      token = shared.tokens[shared.nextToken.getAndIncrement() % TOKENS];
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    fixture = Fixture.open(Backend.MEMORY);
    for (int i = 0; i < TOKENS; i++) {
      tokens[i] = fixture.cachedToken("scaling_key_" + i);
    }
    fixture.markRunStart();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    fixture.recordRun("run." + Fixture.label(params));
    fixture.close();
  }

  @Benchmark
  @Threads(1)
  public VerificationResult cachedValid1Thread(Caller caller, CpuMeter cpu) {
    return fixture.verifier.verify(caller.token);
  }

  @Benchmark
  @Threads(2)
  public VerificationResult cachedValid2Threads(Caller caller, CpuMeter cpu) {
    return fixture.verifier.verify(caller.token);
  }
}
