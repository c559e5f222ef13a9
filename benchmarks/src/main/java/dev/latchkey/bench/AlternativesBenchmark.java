package dev.latchkey.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an application would do instead of Latchkey, measured in the same run and the same units:
 *
 * <ul>
 *   <li>{@code jwtHs256ParseAndVerify}: a stateless HS256 JWT (nimbus-jose-jwt), {@code
 *       SignedJWT.parse(token).verify(verifier)} with the {@link MACVerifier} built once. The token
 *       carries what a verified Latchkey token yields: subject = the principal's path, its scope
 *       and permissions, issued-at, expiry and an id. This is the baseline of the "10x" target;
 *   <li>{@code jwtHs256ParseVerifyAndCheckExpiry}: the same plus reading the claims and checking
 *       the expiry, which any real use needs;
 *   <li>{@code bcryptCost10Check}: an API key checked against its bcrypt hash (cost 10, Bouncy
 *       Castle {@link OpenBSDBCrypt#checkPassword}), as systems that store keys like passwords do.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class AlternativesBenchmark {
  private static final int BCRYPT_COST = 10;

  private String jwt;
  private MACVerifier jwtVerifier;
  private String bcryptHash;
  private char[] apiKey;

  @Setup(Level.Trial)
  public void setUp() throws JOSEException, ParseException {
    SecureRandom random = new SecureRandom();
    byte[] macKey = new byte[32];
    random.nextBytes(macKey);
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .subject("acme/sa/bench_bot")
        .claim("scope", "acme")
        .claim("permissions", List.of("deploy", "read"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofDays(90))))
        .jwtID("4q8Zr1XbT0aP2wKe")
        .build();
    SignedJWT signed = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    signed.sign(new MACSigner(macKey));
    jwt = signed.serialize();
    jwtVerifier = new MACVerifier(macKey);
    if (!SignedJWT.parse(jwt).verify(jwtVerifier)) {
      throw new IllegalStateException("the JWT does not verify");
    }

    // An API key of the usual shape: a prefix and 43 base62 characters (256 bits), 48 bytes < 72.
    StringBuilder key = new StringBuilder("acme_");
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 43; i++) {
      key.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    apiKey = key.toString().toCharArray();
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    bcryptHash = OpenBSDBCrypt.generate("2b", apiKey, salt, BCRYPT_COST);
    if (!bcryptCost10Check()) {
      throw new IllegalStateException("the bcrypt hash does not match");
    }
  }

  @Benchmark
  public boolean jwtHs256ParseAndVerify(CpuMeter cpu) throws ParseException, JOSEException {
    return SignedJWT.parse(jwt).verify(jwtVerifier);
  }

  @Benchmark
  public String jwtHs256ParseVerifyAndCheckExpiry() throws ParseException, JOSEException {
    SignedJWT parsed = SignedJWT.parse(jwt);
    if (!parsed.verify(jwtVerifier)) {
      return null;
    }
    JWTClaimsSet claims = parsed.getJWTClaimsSet();
    Date exp = claims.getExpirationTime();
    if (exp == null || exp.getTime() <= System.currentTimeMillis()) {
      return null;
    }
    return claims.getSubject();
  }

  @Benchmark
  public boolean bcryptCost10Check() {
    return OpenBSDBCrypt.checkPassword(bcryptHash, apiKey);
  }
}
