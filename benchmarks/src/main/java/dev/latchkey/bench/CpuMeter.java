package dev.latchkey.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * How much CPU each benchmark thread actually got during the measurement iterations: its thread
 * CPU time divided by wall time (1.0 = a whole core all the time). On a shared or overloaded
 * machine the operating system takes cores away and a score drops for reasons that have nothing to
 * do with the code measured; this makes that visible next to the score, as the fact {@code
 * run.<benchmark>.cpuShare} (one line per thread and fork). A benchmark opts in by taking this state
 * as a parameter; it adds nothing to the measured code (iteration-level fixtures only).
 */
@State(Scope.Thread)
public class CpuMeter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private long cpuStart;
  private long wallStart;
  private long cpuTotal;
  private long wallTotal;

  @Setup(Level.Iteration)
  public void start() {
    cpuStart = THREADS.getCurrentThreadCpuTime();
    wallStart = System.nanoTime();
  }

  @TearDown(Level.Iteration)
  public void stop(IterationParams iteration) {
    long wall = System.nanoTime() - wallStart;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    if (iteration.getType() == IterationType.MEASUREMENT && cpuStart >= 0) {
      cpuTotal += cpu;
      wallTotal += wall;
    }
  }

  @TearDown(Level.Trial)
  public void report(BenchmarkParams params) {
    if (wallTotal > 0) {
      Facts.record("run." + Fixture.label(params) + ".cpuShare", String.format("%.3f", (double) cpuTotal / wallTotal));
    }
  }
}
