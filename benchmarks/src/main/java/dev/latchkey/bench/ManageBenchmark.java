package dev.latchkey.bench;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewToken;
import dev.latchkey.Rotation;
import dev.latchkey.TokenRef;
import java.time.Duration;
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
 * Issuing and rotating a token through {@code TokenManager}, against each store: authorization,
 * reads of the key and the owner, a fresh lookup id and secret from {@link java.security.SecureRandom},
 * the HMAC, the store write (a transaction on H2 and PostgreSQL, with the per-key limit checked
 * atomically), cache invalidation and a (discarded) audit event.
 *
 * <p>State stays the same size however long the run: {@code issueToken} issues into a key that
 * holds 9 tokens, and each issued token is deleted again outside the measured time ({@code
 * Level.Invocation} teardown, whose timestamping overhead is negligible against these microsecond
 * to millisecond operations), so every issue sees 9 existing tokens and the default limit of 100
 * tokens per key never trips. {@code rotateToken} rotates 16 tokens round robin, each with a 5
 * minute grace period for its previous secret. Warmup is longer than elsewhere: these paths run
 * much more code (H2 runs in this JVM), so they take longer to compile.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ManageBenchmark {
  private static final int EXISTING_TOKENS = 9;
  private static final int ROTATED_TOKENS = 16;
  private static final Rotation ROTATION = Rotation.withGrace(Duration.ofMinutes(5));

  @State(Scope.Benchmark)
  public static class IssueState {
    @Param({Backend.MEMORY, Backend.H2, Backend.POSTGRESQL})
    public String store;

    Fixture fixture;
    NewToken request;
    TokenRef issued;

    @Setup(Level.Trial)
    public void setUp() {
      fixture = Fixture.open(store);
      ApiKeyRef key = fixture.apiKey(fixture.bot, "issue_key");
      for (int i = 0; i < EXISTING_TOKENS; i++) {
        fixture.issue(key, "existing_" + i);
      }
      request = NewToken.of(key, "issued", "Issued by the benchmark");
      IssuedToken first = fixture.manager.issueToken(Fixture.SYSTEM, request);
      Fixture.requireVerified(fixture.verifier.verify(first.value().reveal()));
      fixture.manager.deleteToken(Fixture.SYSTEM, first.ref());
      fixture.markRunStart();
    }

    @TearDown(Level.Invocation)
    public void deleteIssued() {
      if (issued != null) {
        fixture.manager.deleteToken(Fixture.SYSTEM, issued);
        issued = null;
      }
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
      fixture.recordRun("run." + Fixture.label(params));
      fixture.close();
    }
  }

  @State(Scope.Benchmark)
  public static class RotateState {
    @Param({Backend.MEMORY, Backend.H2, Backend.POSTGRESQL})
    public String store;

    Fixture fixture;
    final TokenRef[] tokens = new TokenRef[ROTATED_TOKENS];
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      fixture = Fixture.open(store);
      ApiKeyRef key = fixture.apiKey(fixture.bot, "rotate_key");
      for (int i = 0; i < ROTATED_TOKENS; i++) {
        tokens[i] = fixture.issue(key, "rotated_" + i).ref();
      }
      IssuedToken rotated = fixture.manager.rotateToken(Fixture.SYSTEM, tokens[0], ROTATION);
      Fixture.requireVerified(fixture.verifier.verify(rotated.value().reveal()));
      fixture.markRunStart();
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
      fixture.recordRun("run." + Fixture.label(params));
      fixture.close();
    }
  }

  @Benchmark
  public IssuedToken issueToken(IssueState s) {
    IssuedToken token = s.fixture.manager.issueToken(Fixture.SYSTEM, s.request);
    s.issued = token.ref();
    return token;
  }

  @Benchmark
  public IssuedToken rotateToken(RotateState s) {
    TokenRef ref = s.tokens[s.next];
    s.next = (s.next + 1) % ROTATED_TOKENS;
    return s.fixture.manager.rotateToken(Fixture.SYSTEM, ref, ROTATION);
  }
}
