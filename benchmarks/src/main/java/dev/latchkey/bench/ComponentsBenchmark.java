package dev.latchkey.bench;

import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import dev.latchkey.testing.TokenText;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
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
 * The pieces of a verification, each alone, to explain the end-to-end figures (not targets):
 *
 * <ul>
 *   <li>{@code codecParseValid}, {@code codecParseBadChecksum}: core's {@code TokenCodec.parse}, the
 *       shape, alphabet and CRC32 check every verification starts with (the whole of a malformed
 *       rejection);
 *   <li>{@code crc32Body}: the CRC32 of the 65 bytes before the checksum, alone;
 *   <li>{@code sha256SaltedSecret}: SHA-256 of a 12-byte salt and the 43-byte secret with a reused
 *       {@link MessageDigest} into a reused buffer, what the verifier's fast secret check computes
 *       on a cache hit;
 *   <li>{@code hmacSha256Secret}: HMAC-SHA-256 of the secret with a reused {@link Mac}, what a
 *       cache miss (the first check of a secret on a node) computes.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ComponentsBenchmark {
  /**
   * Core's codec is package-private in a package the module does not export. The runnable jar runs
   * on the class path, where a private lookup reaches it; through a constant method handle the call
   * compiles to the same code as a direct one.
   */
  private static final MethodHandle NEW_CODEC;
  private static final MethodHandle PARSE;

  static {
    try {
      Class<?> codec = Class.forName("dev.latchkey.internal.TokenCodec");
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(codec, MethodHandles.lookup());
      NEW_CODEC = lookup.findConstructor(codec, MethodType.methodType(void.class, TokenFormat.class))
          .asType(MethodType.methodType(Object.class, TokenFormat.class));
      PARSE = lookup.findVirtual(codec, "parse",
              MethodType.methodType(int.class, CharSequence.class, byte[].class, CRC32.class))
          .asType(MethodType.methodType(int.class, Object.class, CharSequence.class, byte[].class, CRC32.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Object codec;
  private TokenText text;
  private String valid;
  private String badChecksum;
  private byte[] buf;
  private final CRC32 crc = new CRC32();
  private int checksumStart;
  private final byte[] salt = new byte[12];
  private byte[] digestOut;
  private MessageDigest sha256;
  private Mac hmac;

  @Setup(Level.Trial)
  public void setUp() throws Throwable {
    SecureRandom random = new SecureRandom();
    codec = (Object) NEW_CODEC.invokeExact(TokenFormat.withPrefix(Fixture.PREFIX));
    text = new TokenText(TokenFormat.withPrefix(Fixture.PREFIX));
    valid = text.encode(PrincipalType.SERVICE_ACCOUNT, text.newLookupId(random), text.newSecret(random));
    badChecksum = Fixture.withBadChecksum(valid);
    buf = valid.getBytes(StandardCharsets.US_ASCII);
    checksumStart = buf.length - TokenFormat.CHECKSUM_LENGTH;
    if (parse(valid, buf) < 0 || parse(badChecksum, new byte[buf.length]) >= 0) {
      throw new IllegalStateException("the codec does not behave as expected");
    }
    random.nextBytes(salt);
    digestOut = new byte[32];
    sha256 = MessageDigest.getInstance("SHA-256");
    byte[] key = new byte[32];
    random.nextBytes(key);
    hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(key, "HmacSHA256"));
  }

  private int parse(CharSequence token, byte[] into) throws Throwable {
    return (int) PARSE.invokeExact(codec, token, into, crc);
  }

  @Benchmark
  public int codecParseValid() throws Throwable {
    return (int) PARSE.invokeExact(codec, (CharSequence) valid, buf, crc);
  }

  @Benchmark
  public int codecParseBadChecksum() throws Throwable {
    return (int) PARSE.invokeExact(codec, (CharSequence) badChecksum, buf, crc);
  }

  @Benchmark
  public long crc32Body() {
    crc.reset();
    crc.update(buf, 0, checksumStart);
    return crc.getValue();
  }

  @Benchmark
  public byte[] sha256SaltedSecret() throws DigestException {
    sha256.update(salt, 0, salt.length);
    sha256.update(buf, text.secretStart(), TokenFormat.SECRET_LENGTH);
    sha256.digest(digestOut, 0, digestOut.length);
    return digestOut;
  }

  @Benchmark
  public byte[] hmacSha256Secret() throws ShortBufferException {
    hmac.update(buf, text.secretStart(), TokenFormat.SECRET_LENGTH);
    hmac.doFinal(digestOut, 0);
    return digestOut;
  }
}
