package dev.latchkey.bench;

import dev.latchkey.IssuedToken;
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
 * What timing can tell an attacker who holds a lookup id but not its secret: the distribution of
 * verification times (sample mode: each call timed, so RESULTS.md shows medians and tails) of, side
 * by side in one run, one thread, memory store:
 *
 * <ul>
 *   <li>{@code unknownId}: a well-formed token whose lookup id does not exist (negative cache);
 *   <li>{@code revokedWrongSecret}: the lookup id of a revoked token, with a wrong secret;
 *   <li>{@code validWrongSecret}: the lookup id of a valid, cached token, with a wrong secret;
 *   <li>{@code valid}: the valid token itself (cached, fast secret check).
 * </ul>
 *
 * The goal (security review, item 7): revoked and valid ids cost the same for a wrong secret, so
 * timing does not tell whether a known id is active. An unknown id is cheaper (nothing to hash
 * against) and a valid token cheaper still on its cached path; neither reveals a token's state.
 * Setup checks each outcome.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RejectionTimingBenchmark {
  private Fixture fixture;
  private String valid;
  private String validWrong;
  private String revokedWrong;
  private String unknown;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = Fixture.open(Backend.MEMORY);
    TokenText codec = new TokenText(TokenFormat.withPrefix(Fixture.PREFIX));
    SecureRandom random = new SecureRandom();
    var key = fixture.apiKey(fixture.bot, "timing_key");
    IssuedToken validToken = fixture.issue(key, "valid");
    IssuedToken revokedToken = fixture.issue(key, "revoked");
    valid = validToken.value().reveal();
    Fixture.requireVerified(fixture.verifier.verify(valid));
    Fixture.requireVerified(fixture.verifier.verify(revokedToken.value()));
    fixture.manager.revokeToken(Fixture.SYSTEM, revokedToken.ref());

    validWrong = codec.encode(PrincipalType.SERVICE_ACCOUNT, validToken.token().lookupId(), codec.newSecret(random));
    revokedWrong = codec.encode(PrincipalType.SERVICE_ACCOUNT, revokedToken.token().lookupId(), codec.newSecret(random));
    unknown = codec.encode(PrincipalType.SERVICE_ACCOUNT, codec.newLookupId(random), codec.newSecret(random));
    Fixture.requireRejected(fixture.verifier.verify(validWrong), RejectReason.BAD_SECRET);
    Fixture.requireRejected(fixture.verifier.verify(revokedWrong), RejectReason.BAD_SECRET);
    Fixture.requireRejected(fixture.verifier.verify(revokedToken.value()), RejectReason.REVOKED);
    Fixture.requireRejected(fixture.verifier.verify(unknown), RejectReason.UNKNOWN);
    Fixture.requireVerified(fixture.verifier.verify(valid));
    fixture.markRunStart();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    fixture.recordRun("run." + Fixture.label(params));
    fixture.close();
  }

  @Benchmark
  public VerificationResult unknownId() {
    return fixture.verifier.verify(unknown);
  }

  @Benchmark
  public VerificationResult revokedWrongSecret() {
    return fixture.verifier.verify(revokedWrong);
  }

  @Benchmark
  public VerificationResult validWrongSecret() {
    return fixture.verifier.verify(validWrong);
  }

  @Benchmark
  public VerificationResult valid() {
    return fixture.verifier.verify(valid);
  }
}
