package dev.latchkey.internal;

import dev.latchkey.ConfigurationException;
import dev.latchkey.PepperKeyset;
import dev.latchkey.spi.CredentialHash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 of token secrets under a versioned {@link PepperKeyset}. Each thread keeps one
 * initialized {@link Mac} per pepper version, so the hot path neither looks up providers nor
 * re-derives keys. Digests are always 32 bytes and compared with {@link MessageDigest#isEqual},
 * which takes time independent of where the inputs differ.
 */
public final class SecretHasher {
  public static final int DIGEST_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final PepperKeyset keyset;
  private final int[] versions;
  private final ThreadLocal<Mac[]> macs;

  public SecretHasher(PepperKeyset keyset) {
    this.keyset = keyset;
    this.versions = keyset.versions().stream().mapToInt(Integer::intValue).toArray();
    this.macs = ThreadLocal.withInitial(() -> new Mac[versions.length]);
    newMac(keyset.primaryVersion()); // fail fast if the JDK lacks HmacSHA256
  }

  public PepperKeyset keyset() {
    return keyset;
  }

  public int primaryVersion() {
    return keyset.primaryVersion();
  }

  public boolean hasVersion(int version) {
    return indexOf(version) >= 0;
  }

  /** The hash of a secret under the primary pepper. */
  public CredentialHash hash(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.US_ASCII);
    try {
      return hash(bytes, 0, bytes.length);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  public CredentialHash hash(byte[] buf, int off, int len) {
    byte[] digest = new byte[DIGEST_BYTES];
    compute(keyset.primaryVersion(), buf, off, len, digest);
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    return new CredentialHash(CredentialHash.HMAC_SHA256, keyset.primaryVersion(), payload);
  }

  /**
   * True when HMAC(pepper {@code version}, {@code buf[off, off+len)}) equals {@code expected}.
   * {@code scratch} receives the computed digest (32 bytes). False if the version is unknown.
   */
  public boolean matches(int version, byte[] expected, byte[] buf, int off, int len, byte[] scratch) {
    if (expected == null || indexOf(version) < 0) {
      return false;
    }
    compute(version, buf, off, len, scratch);
    return MessageDigest.isEqual(scratch, expected);
  }

  private void compute(int version, byte[] buf, int off, int len, byte[] out) {
    Mac mac = mac(version);
    mac.update(buf, off, len);
    try {
      mac.doFinal(out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("digest buffer too small", e);
    }
  }

  private Mac mac(int version) {
    int index = indexOf(version);
    if (index < 0) {
      throw new ConfigurationException("no pepper with version " + version);
    }
    Mac[] perThread = macs.get();
    Mac mac = perThread[index];
    if (mac == null) {
      mac = newMac(version);
      perThread[index] = mac;
    }
    return mac;
  }

  private int indexOf(int version) {
    for (int i = 0; i < versions.length; i++) {
      if (versions[i] == version) {
        return i;
      }
    }
    return -1;
  }

  private Mac newMac(int version) {
    byte[] key = keyset.keyMaterial(version);
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("this JDK cannot compute " + ALGORITHM + ": " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * The key-check value of one pepper: HMAC of a fixed label under it, base64url. Stored by the
   * store so that a node given a different pepper under a known version refuses to start. It
   * reveals nothing about the pepper (HMAC is a pseudo-random function of its key).
   */
  public String keyCheck(int version) {
    byte[] label = "latchkey pepper key check v1".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[DIGEST_BYTES];
    compute(version, label, 0, label.length, out);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /** The 32-byte digest of a native hash, or null if the hash is not of the native scheme or is damaged. */
  public static byte[] digestOf(CredentialHash hash) {
    if (!CredentialHash.HMAC_SHA256.equals(hash.scheme())) {
      return null;
    }
    try {
      byte[] digest = Base64.getUrlDecoder().decode(hash.payload());
      return digest.length == DIGEST_BYTES ? digest : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
