package dev.latchkey.bench;

import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.TokenFormat;
import dev.latchkey.VerificationResult;
import dev.latchkey.testing.TokenText;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Latency of the verification hot path, one thread, memory store, average time per call:
 *
 * <ul>
 *   <li>{@code cachedValid}: a valid token whose record is cached and whose secret already passed
 *       the HMAC check on this node (verified once in setup) &mdash; the common case;
 *   <li>{@code malformed}: the same token with its last character (a checksum digit) changed;
 *       rejected as MALFORMED with no cache or store access;
 *   <li>{@code unknownId}: a well-formed token with a valid checksum and a lookup id that does not
 *       exist; answered from the negative cache (default TTL 5 s, so one store read per 5 s);
 *   <li>{@code invalidateCacheOnly}: {@code Latchkey.invalidateCache()} on an empty cache, the
 *       baseline to subtract from {@link CacheMissBenchmark}.
 * </ul>
 *
 * Setup checks each outcome and counts store calls over 10,000 calls; teardown reports the cache
 * and store counters of the whole run (see {@code RESULTS.md}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class VerifyBenchmark {
  private static final int SETUP_CALLS = 10_000;

  private Fixture fixture;
  private String valid;
  private String malformed;
  private String unknown;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String label = "setup." + Fixture.label(params);
    fixture = Fixture.open(Backend.MEMORY);
    valid = fixture.cachedToken("verify_key");

    malformed = Fixture.withBadChecksum(valid);
    long before = fixture.store.calls();
    for (int i = 0; i < SETUP_CALLS; i++) {
      Fixture.requireRejected(fixture.verifier.verify(malformed), RejectReason.MALFORMED);
    }
    Facts.record(label + ".malformedStoreCallsPer" + SETUP_CALLS, fixture.store.calls() - before);

    TokenText codec = new TokenText(TokenFormat.withPrefix(Fixture.PREFIX));
    SecureRandom random = new SecureRandom();
    unknown = codec.encode(PrincipalType.SERVICE_ACCOUNT, codec.newLookupId(random), codec.newSecret(random));
    before = fixture.store.calls();
    for (int i = 0; i < SETUP_CALLS; i++) {
      Fixture.requireRejected(fixture.verifier.verify(unknown), RejectReason.UNKNOWN);
    }
    Facts.record(label + ".unknownIdStoreCallsPer" + SETUP_CALLS, fixture.store.calls() - before);

    before = fixture.store.calls();
    for (int i = 0; i < SETUP_CALLS; i++) {
      Fixture.requireVerified(fixture.verifier.verify(valid));
    }
    Facts.record(label + ".cachedValidStoreCallsPer" + SETUP_CALLS, fixture.store.calls() - before);
    fixture.markRunStart();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    fixture.recordRun("run." + Fixture.label(params));
    fixture.close();
  }

  @Benchmark
  public VerificationResult cachedValid(CpuMeter cpu) {
    return fixture.verifier.verify(valid);
  }

  @Benchmark
  public VerificationResult malformed(CpuMeter cpu) {
    return fixture.verifier.verify(malformed);
  }

  @Benchmark
  public VerificationResult unknownId(CpuMeter cpu) {
    return fixture.verifier.verify(unknown);
  }

  @Benchmark
  public void invalidateCacheOnly() {
    fixture.latchkey.invalidateCache();
  }
}
