package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.PepperKeyset;
import dev.latchkey.TestPepperAccess;
import dev.latchkey.spi.CredentialHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SecretHasherTest {
  private static final String SECRET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
  // Known answers computed outside Java (Python's hmac module) for keys bytes(0..31) and bytes(100..163),
  // of b"lk\0" + SECRET (prefix lk), b"acme\0" + SECRET and b"legacy.dotted\0" + SECRET.
  private static final String KAT_V1 = "v70p3zblMGXONodoyaTmYU1VAF5zRAcqFl-oPF-wRNw";
  private static final String KAT_V2 = "H73wdeHv4KzHsXoQVUmncenaVAtQHTlpnanZHDzWvW4";
  private static final String KAT_V2_ACME = "ZVPgmdz2h6xkAGXGrvzlTiXWRwV5LSYXNmmk8BphiUc";
  private static final String KAT_V2_LEGACY = "71uUi-7F8pVDMvRruEW7ECSDSCGGHfV0IgnxE38Ggos";
  // HMAC of b"latchkey pepper key check v1", no domain: the same for every prefix.
  private static final String KCV_V1 = "Yn00CCe_MAygTa0tisPYbDeZqlareokrj8bjlEEpxMU";
  private static final String KCV_V2 = "E9-GVGe4UJvFjHmq8isUiGHZwE93Rmzd1AyAoXsrBgU";
  private static final PepperKeyset KEYS = PepperKeyset.parse(
      "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,"
          + "2:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlJWWl5iZmpucnZ6foKGiow==");

  @Test
  void hashesWithThePrimaryPepperAndRecordsSchemeAndVersion() {
    SecretHasher hasher = new SecretHasher(KEYS, TestPepperAccess.get(), "lk");
    CredentialHash h = hasher.hash(SECRET);
    assertThat(h.scheme()).isEqualTo("hmac-sha256");
    assertThat(h.pepperVersion()).isEqualTo(2);
    assertThat(h.payload()).isEqualTo(KAT_V2);
    assertThat(h.encoded()).isEqualTo("hmac-sha256$2$" + KAT_V2);
  }

  @Test
  void thePrefixAndTheLegacyFormAreBoundIntoTheHashButNotIntoKeyChecks() {
    byte[] secret = SECRET.getBytes(StandardCharsets.US_ASCII);
    SecretHasher lk = new SecretHasher(KEYS, TestPepperAccess.get(), "lk");
    SecretHasher acme = new SecretHasher(KEYS, TestPepperAccess.get(), "acme");
    assertThat(acme.hash(SECRET).payload()).isEqualTo(KAT_V2_ACME);
    assertThat(lk.hash(true, secret, 0, secret.length).payload()).isEqualTo(KAT_V2_LEGACY);
    assertThat(acme.hash(true, secret, 0, secret.length).payload()).as("legacy: the same for every prefix")
        .isEqualTo(KAT_V2_LEGACY);
    byte[] scratch = new byte[32];
    byte[] underAcme = SecretHasher.digestOf(new CredentialHash("hmac-sha256", 2, KAT_V2_ACME));
    assertThat(acme.matches(2, underAcme, false, secret, 0, secret.length, scratch)).isTrue();
    assertThat(lk.matches(2, underAcme, false, secret, 0, secret.length, scratch)).as("other prefix").isFalse();
    assertThat(acme.matches(2, underAcme, true, secret, 0, secret.length, scratch)).as("legacy form").isFalse();
    for (SecretHasher h : new SecretHasher[] {lk, acme}) {
      assertThat(h.keyCheck(1)).isEqualTo(KCV_V1);
      assertThat(h.keyCheck(2)).isEqualTo(KCV_V2);
    }
  }

  @Test
  void everyMatchComputesOneHmacEvenWithoutADigestToCompare() {
    java.util.concurrent.atomic.AtomicInteger hmacs = new java.util.concurrent.atomic.AtomicInteger();
    SecretHasher hasher = new SecretHasher(KEYS, TestPepperAccess.get(), "lk", hmacs::incrementAndGet);
    byte[] secret = SECRET.getBytes(StandardCharsets.US_ASCII);
    byte[] scratch = new byte[32];
    byte[] v2 = SecretHasher.digestOf(new CredentialHash("hmac-sha256", 2, KAT_V2));
    assertThat(hasher.matches(2, v2, false, secret, 0, secret.length, scratch)).isTrue();
    assertThat(hasher.matches(2, null, false, secret, 0, secret.length, scratch)).as("no digest").isFalse();
    assertThat(hasher.matches(9, v2, false, secret, 0, secret.length, scratch)).as("unknown version").isFalse();
    assertThat(hmacs.get()).isEqualTo(3);
  }

  @Test
  void verifiesUnderOlderPeppersAndRejectsEverythingElse() {
    SecretHasher hasher = new SecretHasher(KEYS, TestPepperAccess.get(), "lk");
    byte[] secret = SECRET.getBytes(StandardCharsets.US_ASCII);
    byte[] scratch = new byte[32];
    byte[] v1 = SecretHasher.digestOf(new CredentialHash("hmac-sha256", 1, KAT_V1));
    byte[] v2 = SecretHasher.digestOf(new CredentialHash("hmac-sha256", 2, KAT_V2));
    assertThat(hasher.matches(1, v1, false, secret, 0, secret.length, scratch)).isTrue();
    assertThat(hasher.matches(2, v2, false, secret, 0, secret.length, scratch)).isTrue();
    assertThat(hasher.matches(2, v1, false, secret, 0, secret.length, scratch)).as("wrong version").isFalse();
    assertThat(hasher.matches(3, v2, false, secret, 0, secret.length, scratch)).as("unknown version").isFalse();
    secret[10] ^= 1;
    assertThat(hasher.matches(2, v2, false, secret, 0, secret.length, scratch)).as("one bit off").isFalse();
  }

  @Test
  void damagedOrForeignHashesHaveNoDigest() {
    assertThat(SecretHasher.digestOf(new CredentialHash("hmac-sha256", 1, "short"))).isNull();
    assertThat(SecretHasher.digestOf(new CredentialHash("hmac-sha256", 1, "!!!!"))).isNull();
    assertThat(SecretHasher.digestOf(new CredentialHash("bcrypt", 0, "$2b$10$abc"))).isNull();
  }

  @Test
  void fastCheckIsSaltedSha256AndConstantLength() throws Exception {
    FastSecretCheck.PerThread fast = new FastSecretCheck(new SecureRandom()).newPerThread();
    byte[] secret = SECRET.getBytes(StandardCharsets.US_ASCII);
    byte[] tag = fast.newTag(secret, 0, secret.length);
    assertThat(tag).hasSize(32);
    assertThat(fast.matches(tag, secret, 0, secret.length, new byte[32])).isTrue();
    assertThat(tag).as("salted: not the plain SHA-256 of the secret")
        .isNotEqualTo(MessageDigest.getInstance("SHA-256").digest(secret));
    FastSecretCheck.PerThread other = new FastSecretCheck(new SecureRandom()).newPerThread();
    assertThat(other.newTag(secret, 0, secret.length)).as("salt differs per instance").isNotEqualTo(tag);
    secret[0] ^= 1;
    assertThat(fast.matches(tag, secret, 0, secret.length, new byte[32])).isFalse();
  }

  @Test
  void isThreadSafe() throws Exception {
    SecretHasher hasher = new SecretHasher(KEYS, TestPepperAccess.get(), "lk");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ConcurrentHashMap<String, Boolean> results = new ConcurrentHashMap<>();
    for (int t = 0; t < 8; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 2000; i++) {
          results.put(hasher.hash(SECRET).payload(), true);
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(results.keySet()).containsExactly(KAT_V2);
  }
}
