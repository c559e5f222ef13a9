package dev.latchkey.bench;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.IssuedToken;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.TokenFormat;
import dev.latchkey.VerificationResult;
import dev.latchkey.testing.TokenText;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A flood of unknown lookup ids against a hot set of valid tokens (security review, item 4): 5,000
 * hot tokens, cached, in Latchkey's default caches (100,000 records, 10,000 unknown ids), memory
 * store, one thread.
 *
 * <ul>
 *   <li>{@code floodAndHot}: each call verifies {@value #FLOOD_PER_HOT} unknown ids, a new one each
 *       time (2^18 distinct ids with valid checksums, cycled: far more than the unknown-id cache
 *       holds, so every one is a store lookup), then one hot token (cycled over the 5,000). The
 *       flood is what an attacker sends; the hot set keeps being used, more slowly, as in the review;
 *   <li>{@code hotOnly}: one hot token per call, no flood: the baseline.
 * </ul>
 *
 * Teardown reports, besides the usual counters, how many store lookups of hot tokens' ids happened
 * during the run ({@code hotTokenStoreLookups}, counted by the store): 0 means the flood never
 * evicted a hot token. Before the unknown ids got their own cache, this flood evicted the hot set.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class UnknownIdFloodBenchmark {
  static final int HOT = 5_000;
  static final int UNKNOWN = 1 << 18;
  static final int FLOOD_PER_HOT = 40;

  private Fixture fixture;
  private String[] hot;
  private String[] unknown;
  private int nextHot;
  private int nextUnknown;
  private long unknownVerified;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = Fixture.open(Backend.MEMORY);
    hot = new String[HOT];
    Set<String> hotIds = new HashSet<>();
    for (int k = 0; k < HOT / 100; k++) {
      ApiKeyRef key = fixture.apiKey(fixture.bot, "hot_" + k);
      for (int i = 0; i < 100; i++) {
        IssuedToken t = fixture.issue(key, "t" + i);
        hot[k * 100 + i] = t.value().reveal();
        hotIds.add(t.token().lookupId());
      }
    }
    for (int round = 0; round < 3; round++) {
      for (String t : hot) {
        Fixture.requireVerified(fixture.verifier.verify(t));
      }
    }
    TokenText codec = new TokenText(TokenFormat.withPrefix(Fixture.PREFIX));
    SecureRandom random = new SecureRandom();
    String secret = codec.newSecret(random);
    unknown = new String[UNKNOWN];
    for (int i = 0; i < UNKNOWN; i++) {
      unknown[i] = codec.encode(PrincipalType.SERVICE_ACCOUNT, codec.newLookupId(random), secret);
    }
    // one unknown id outside the cycled set, to check the answer without pre-caching any of the set
    Fixture.requireRejected(fixture.verifier.verify(
        codec.encode(PrincipalType.SERVICE_ACCOUNT, codec.newLookupId(random), secret)), RejectReason.UNKNOWN);
    fixture.store.watch(hotIds);
    fixture.markRunStart();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    String label = "run." + Fixture.label(params);
    fixture.recordRun(label);
    Facts.record(label + ".unknownIdsVerified", unknownVerified);
    Facts.record(label + ".hotTokenStoreLookups", fixture.store.watchedLookups());
    fixture.close();
  }

  @Benchmark
  public void floodAndHot(Blackhole bh) {
    for (int i = 0; i < FLOOD_PER_HOT; i++) {
      bh.consume(fixture.verifier.verify(unknown[nextUnknown]));
      nextUnknown = (nextUnknown + 1) & (UNKNOWN - 1);
    }
    unknownVerified += FLOOD_PER_HOT;
    bh.consume(verifyHot());
  }

  @Benchmark
  public VerificationResult hotOnly() {
    return verifyHot();
  }

  private VerificationResult verifyHot() {
    VerificationResult r = fixture.verifier.verify(hot[nextHot]);
    nextHot = nextHot + 1 == HOT ? 0 : nextHot + 1;
    return r;
  }
}
