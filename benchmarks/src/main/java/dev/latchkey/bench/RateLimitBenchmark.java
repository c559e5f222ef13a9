package dev.latchkey.bench;

import dev.latchkey.ApiKeyEdit;
import dev.latchkey.NewToken;
import dev.latchkey.RateLimit;
import dev.latchkey.VerificationResult;
import java.time.Duration;
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
 * Issue 11, figure (c): the cached verification of a token with a rate limit against one without,
 * in the same run and the same Latchkey instance (memory store, one thread, average time per call):
 *
 * <ul>
 *   <li>{@code plain}: a cached valid token with no limit (the {@code VerifyBenchmark.cachedValid} case);
 *   <li>{@code tokenLimit}: a cached valid token with a limit of its own;
 *   <li>{@code tokenAndKeyLimit}: a cached valid token with its own limit and its key's (two buckets).
 * </ul>
 *
 * The limits (10^9 requests per second, burst 10^9) are never reached, so every call takes a request
 * from its buckets and passes: this measures the bucket path, not refusals. Setup checks every
 * outcome is {@code Verified}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RateLimitBenchmark {
  private static final RateLimit NEVER_REACHED = RateLimit.of(1_000_000_000L, Duration.ofSeconds(1));

  private Fixture fixture;
  private String plain;
  private String tokenLimit;
  private String tokenAndKeyLimit;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = Fixture.open(Backend.MEMORY);
    plain = fixture.cachedToken("plain_key");
    tokenLimit = limited(fixture.apiKey(fixture.bot, "token_limit_key"));
    var keyWithLimit = fixture.apiKey(fixture.bot, "key_limit_key");
    fixture.manager.editApiKey(Fixture.SYSTEM, keyWithLimit, ApiKeyEdit.none().rateLimit(NEVER_REACHED));
    tokenAndKeyLimit = limited(keyWithLimit);
    for (int i = 0; i < 10_000; i++) {
      Fixture.requireVerified(fixture.verifier.verify(plain));
      Fixture.requireVerified(fixture.verifier.verify(tokenLimit));
      Fixture.requireVerified(fixture.verifier.verify(tokenAndKeyLimit));
    }
    fixture.markRunStart();
  }

  private String limited(dev.latchkey.ApiKeyRef key) {
    String token = fixture.manager.issueToken(Fixture.SYSTEM, NewToken.of(key, "t", "Token t")
        .withRateLimit(NEVER_REACHED)).value().reveal();
    Fixture.requireVerified(fixture.verifier.verify(token));
    return token;
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    fixture.recordRun("run." + Fixture.label(params));
    fixture.close();
  }

  @Benchmark
  public VerificationResult plain(CpuMeter cpu) {
    return fixture.verifier.verify(plain);
  }

  @Benchmark
  public VerificationResult tokenLimit(CpuMeter cpu) {
    return fixture.verifier.verify(tokenLimit);
  }

  @Benchmark
  public VerificationResult tokenAndKeyLimit(CpuMeter cpu) {
    return fixture.verifier.verify(tokenAndKeyLimit);
  }
}
