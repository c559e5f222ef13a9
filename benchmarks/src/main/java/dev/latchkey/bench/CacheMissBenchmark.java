package dev.latchkey.bench;

import dev.latchkey.VerificationResult;
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
 * Verification of a valid token that is not cached, against each store. Every call first drops the
 * whole cache ({@code Latchkey.invalidateCache()}), so every verification is a true miss: the
 * token record and its principal are read from the store (two reads, checked in setup), and the
 * secret goes through the full HMAC check. The score therefore includes one invalidation;
 * {@code VerifyBenchmark.invalidateCacheOnly} measures that alone (on an already empty cache, so it
 * slightly understates it: here two entries are removed).
 *
 * <p>H2 is in-memory in the benchmark's JVM; PostgreSQL is an embedded server on this machine,
 * reached over a loopback socket. Both sit behind a HikariCP pool of 4 connections.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CacheMissBenchmark {
  private static final int SETUP_CALLS = 100;

  @Param({Backend.MEMORY, Backend.H2, Backend.POSTGRESQL})
  public String store;

  private Fixture fixture;
  private String valid;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    fixture = Fixture.open(store);
    valid = fixture.cachedToken("miss_key");
    long tokenReads = fixture.store.tokenLookups();
    long principalReads = fixture.store.principalLookups();
    long misses = fixture.latchkey.stats().cacheMisses();
    for (int i = 0; i < SETUP_CALLS; i++) {
      fixture.latchkey.invalidateCache();
      Fixture.requireVerified(fixture.verifier.verify(valid));
    }
    String label = "setup." + Fixture.label(params);
    Facts.record(label + ".cacheMissesPer" + SETUP_CALLS, fixture.latchkey.stats().cacheMisses() - misses);
    Facts.record(label + ".tokenReadsPer" + SETUP_CALLS, fixture.store.tokenLookups() - tokenReads);
    Facts.record(label + ".principalReadsPer" + SETUP_CALLS, fixture.store.principalLookups() - principalReads);
    fixture.markRunStart();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    fixture.recordRun("run." + Fixture.label(params));
    fixture.close();
  }

  @Benchmark
  public VerificationResult invalidateThenVerify() {
    fixture.latchkey.invalidateCache();
    return fixture.verifier.verify(valid);
  }
}
