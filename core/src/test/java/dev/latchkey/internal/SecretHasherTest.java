package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.PepperKeyset;
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
  // Known answers computed outside Java (Python's hmac module) for keys bytes(0..31) and bytes(100..163).
  private static final String KAT_V1 = "Lb_0jYu2ihRO-zGmsK94k4iBc6uees8r98K7jXasi3Y";
  private static final String KAT_V2 = "t7tZ1xRNk5DX91heHzg-Zf33s2ryji2J4HM9PEmACdM";
  private static final PepperKeyset KEYS = PepperKeyset.parse(
      "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,"
          + "2:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlJWWl5iZmpucnZ6foKGiow==");

  @Test
  void hashesWithThePrimaryPepperAndRecordsSchemeAndVersion() {
    SecretHasher hasher = new SecretHasher(KEYS);
    CredentialHash h = hasher.hash(SECRET);
    assertThat(h.scheme()).isEqualTo("hmac-sha256");
    assertThat(h.pepperVersion()).isEqualTo(2);
    assertThat(h.payload()).isEqualTo(KAT_V2);
    assertThat(h.encoded()).isEqualTo("hmac-sha256$2$" + KAT_V2);
  }

  @Test
  void verifiesUnderOlderPeppersAndRejectsEverythingElse() {
    SecretHasher hasher = new SecretHasher(KEYS);
    byte[] secret = SECRET.getBytes(StandardCharsets.US_ASCII);
    byte[] scratch = new byte[32];
    byte[] v1 = SecretHasher.digestOf(new CredentialHash("hmac-sha256", 1, KAT_V1));
    byte[] v2 = SecretHasher.digestOf(new CredentialHash("hmac-sha256", 2, KAT_V2));
    assertThat(hasher.matches(1, v1, secret, 0, secret.length, scratch)).isTrue();
    assertThat(hasher.matches(2, v2, secret, 0, secret.length, scratch)).isTrue();
    assertThat(hasher.matches(2, v1, secret, 0, secret.length, scratch)).as("wrong version").isFalse();
    assertThat(hasher.matches(3, v2, secret, 0, secret.length, scratch)).as("unknown version").isFalse();
    secret[10] ^= 1;
    assertThat(hasher.matches(2, v2, secret, 0, secret.length, scratch)).as("one bit off").isFalse();
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
    SecretHasher hasher = new SecretHasher(KEYS);
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
