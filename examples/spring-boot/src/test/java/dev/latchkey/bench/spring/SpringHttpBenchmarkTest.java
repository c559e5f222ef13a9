package dev.latchkey.bench.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.Actor;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The end-to-end figure: (a) no authentication, (b) Latchkey, (c) JWT resource server, over HTTP on
 * localhost, in one run. In {@code mvn verify} it is a smoke run (a fraction of a second per
 * target: every path answers 200 through the driver). The measured run, from benchmarks/README.md:
 *
 * <pre>
 * mvn -B -pl examples/spring-boot -am verify -Dtest=SpringHttpBenchmarkTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dlatchkey.bench.measure=60 -Dlatchkey.bench.warmup=20
 * </pre>
 *
 * It writes its table to {@code examples/spring-boot/target/spring-http-benchmark.md}, and with
 * {@code -Dlatchkey.bench.results=../../benchmarks/RESULTS.md} also into that file's {@code
 * spring-http} block (with the run's date, JVM, CPU, load and revision), replacing the previous one.
 */
@SpringBootTest(classes = BenchApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.datasource.url=jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1",
    "logging.level.dev.latchkey.audit=WARN",
    "latchkey.token-prefix=acme"})
class SpringHttpBenchmarkTest {
  @DynamicPropertySource
  static void peppers(DynamicPropertyRegistry registry) {
    String peppers = PepperKeyset.generate(new SecureRandom()).export();
    registry.add("latchkey.peppers", () -> peppers);
  }

  @LocalServerPort
  int port;

  @Autowired
  Latchkey latchkey;

  @Test
  void unauthenticatedVersusLatchkeyVersusJwt() throws Exception {
    String token = latchkeyToken();
    String jwt = jwt();
    List<SpringHttpBenchmark.Target> targets = List.of(
        new SpringHttpBenchmark.Target("(a) no authentication", "/open"),
        new SpringHttpBenchmark.Target("(b) Latchkey", "/latchkey", "Authorization", "Bearer " + token),
        new SpringHttpBenchmark.Target("(c) JWT resource server (HS256, nimbus)", "/jwt", "Authorization",
            "Bearer " + jwt));
    double measure = Double.parseDouble(System.getProperty("latchkey.bench.measure", "0.6"));
    double warmup = Double.parseDouble(System.getProperty("latchkey.bench.warmup", "0.3"));
    int threads = Integer.getInteger("latchkey.bench.threads", 1);
    int rounds = Integer.getInteger("latchkey.bench.rounds", measure >= 10 ? 10 : 1);
    var settings = new SpringHttpBenchmark.Settings(Duration.ofMillis((long) (warmup * 1000)),
        Duration.ofMillis((long) (measure * 1000)), rounds, threads);

    String started = ResultsBlock.now();
    String loadBefore = ResultsBlock.load();
    Map<String, SpringHttpBenchmark.Result> results = new SpringHttpBenchmark(port).run(targets, settings);

    String table = SpringHttpBenchmark.table(results, "(a) no authentication", "(b) Latchkey", settings);
    System.out.println(table);
    Files.writeString(Path.of("target", "spring-http-benchmark.md"), table);
    String resultsFile = System.getProperty("latchkey.bench.results");
    if (resultsFile != null) {
      ResultsBlock.write(Path.of(resultsFile), table, started, loadBefore, settings);
    }
    for (SpringHttpBenchmark.Result r : results.values()) {
      assertThat(r.errors()).as(r.name() + ": every answer was 200").isZero();
      assertThat(r.requests()).as(r.name()).isPositive();
    }
  }

  private String latchkeyToken() {
    Actor system = Actor.system();
    latchkey.manager().createAccount(system, "acme", "Acme Inc.");
    var sa = latchkey.manager().createServiceAccount(system,
        NewServiceAccount.of(Scope.account("acme"), "bench", "Bench").withPermissions(Set.of("read")));
    var key = latchkey.manager().createApiKey(system, NewApiKey.of(sa.ref(), "key", "Key"));
    return latchkey.manager().issueToken(system, NewToken.of(key.ref(), "t", "T")).value().reveal();
  }

  private static String jwt() throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
        .subject("acme/sa/bench").claim("scope", "read").issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(2)))).build());
    jwt.sign(new MACSigner(BenchApp.JWT_KEY));
    return jwt.serialize();
  }
}
