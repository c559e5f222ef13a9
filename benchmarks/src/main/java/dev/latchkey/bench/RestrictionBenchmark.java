package dev.latchkey.bench;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.NewToken;
import dev.latchkey.RejectReason;
import dev.latchkey.RequestContext;
import dev.latchkey.Restriction;
import dev.latchkey.VerificationResult;
import java.util.ArrayList;
import java.util.List;
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
 * The cached verification hit with restrictions (issue 11, figures a and b), each against the plain
 * cached hit in the same run; one thread, memory store, average time per call:
 *
 * <ul>
 *   <li>{@code plainCached}: an unrestricted token, {@code verify(token)} (as {@code
 *       VerifyBenchmark.cachedValid});
 *   <li>{@code plainCachedWithContext}: the same token with a request context carrying an address
 *       (nothing to check: the token has no allow-list);
 *   <li>{@code permissionRestricted}: a token restricted to one of its principal's two permissions
 *       (the narrowed sets are computed once per cache entry, so the hit only adds nothing);
 *   <li>{@code allowList10Cidrs}: a token with an allow-list of 10 CIDR ranges (IPv4 and IPv6),
 *       presented from an address in the last one, so every range is compared;
 *   <li>{@code allowList10CidrsRejected}: the same token from an address in none of them.
 * </ul>
 *
 * Every request context is built in setup, as an application reusing one per connection would;
 * the verifier's own work allocates nothing ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RestrictionBenchmark {
  private Fixture fixture;
  private String plain;
  private String restricted;
  private String allowListed;
  private RequestContext inside;
  private RequestContext outside;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    fixture = Fixture.open(Backend.MEMORY);
    plain = fixture.cachedToken("plain_key");
    ApiKeyRef key = fixture.apiKey(fixture.bot, "restricted_key");
    restricted = fixture.manager.issueToken(Fixture.SYSTEM, NewToken.of(key, "perm", "Perm")
        .restrictedTo(Restriction.permissions("read"))).value().reveal();
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ranges.add("10." + i + ".0.0/16");
      ranges.add("2001:db8:" + i + "::/48");
    }
    allowListed = fixture.manager.issueToken(Fixture.SYSTEM, NewToken.of(key, "cidr", "Cidr")
        .restrictedTo(Restriction.from(ranges.toArray(String[]::new)))).value().reveal();
    inside = RequestContext.fromAddress("2001:db8:4::17");
    outside = RequestContext.fromAddress("192.0.2.1");

    if (!Fixture.requireVerified(fixture.verifier.verify(restricted)).permissions().equals(java.util.Set.of("read"))) {
      throw new IllegalStateException("the restricted token should carry only read");
    }
    Fixture.requireVerified(fixture.verifier.verify(plain, inside));
    Fixture.requireVerified(fixture.verifier.verify(allowListed, inside));
    Fixture.requireRejected(fixture.verifier.verify(allowListed, outside), RejectReason.ADDRESS_NOT_ALLOWED);
    Fixture.requireRejected(fixture.verifier.verify(allowListed), RejectReason.ADDRESS_NOT_ALLOWED);
    fixture.markRunStart();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    fixture.recordRun("run." + Fixture.label(params));
    fixture.close();
  }

  @Benchmark
  public VerificationResult plainCached(CpuMeter cpu) {
    return fixture.verifier.verify(plain);
  }

  @Benchmark
  public VerificationResult plainCachedWithContext(CpuMeter cpu) {
    return fixture.verifier.verify(plain, inside);
  }

  @Benchmark
  public VerificationResult permissionRestricted(CpuMeter cpu) {
    return fixture.verifier.verify(restricted);
  }

  @Benchmark
  public VerificationResult allowList10Cidrs(CpuMeter cpu) {
    return fixture.verifier.verify(allowListed, inside);
  }

  @Benchmark
  public VerificationResult allowList10CidrsRejected(CpuMeter cpu) {
    return fixture.verifier.verify(allowListed, outside);
  }
}
