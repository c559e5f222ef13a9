package dev.latchkey.internal;

import dev.latchkey.ConfigurationException;
import dev.latchkey.PepperAccess;
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
import org.jspecify.annotations.Nullable;

/**
 * HMAC-SHA-256 of token secrets under a versioned {@link PepperKeyset}. Each thread keeps one
 * initialized {@link Mac} per pepper version, so the hot path neither looks up providers nor
 * re-derives keys. Digests are always 32 bytes and compared with {@link MessageDigest#isEqual},
 * which takes time independent of where the inputs differ.
 *
 * <p><b>What is hashed.</b> {@code HMAC(pepper, domain || 0x00 || secret)}, where the domain is
 * the token prefix for native tokens ({@code acme}) and {@value #LEGACY_DOMAIN} for imported tokens
 * presented in their dotted legacy form. Binding the prefix means that a token verifies only under
 * the prefix it was issued with, even on another instance sharing the store and the pepper (a token
 * rewritten to another prefix, checksum recomputed, is a bad secret there). The legacy domain
 * contains a dot, which no prefix may, and the zero byte occurs in no domain and no secret, so no
 * two (domain, secret) pairs give the same input. An imported secret re-hashed under the legacy
 * domain therefore verifies only in the legacy form. Key-check values ({@link #keyCheck}) are HMACs
 * of a fixed label without a domain and do not depend on the prefix.
 */
final class SecretHasher {
  public static final int DIGEST_BYTES = 32;
  /** The HMAC domain of imported tokens presented in the legacy dotted form. */
  public static final String LEGACY_DOMAIN = "legacy.dotted";
  private static final String ALGORITHM = "HmacSHA256";
  private static final Runnable NO_PROBE = () -> { };
  /** Compared against when a token has no usable digest, so that the HMAC runs all the same. */
  private static final byte[] DUMMY_DIGEST = new byte[DIGEST_BYTES];

  private final PepperKeyset keyset;
  private final PepperAccess access;
  private final int[] versions;
  private final ThreadLocal<Mac[]> macs;
  /** {@code domain || 0x00} for native tokens of this instance's prefix and for legacy tokens. */
  private final byte[] nativeDomain;
  private final byte[] legacyDomain;
  /** Runs once per HMAC computed; a no-op except in tests that count the HMACs a path computes. */
  private final Runnable probe;

  /** A hasher for tokens of {@code prefix} (and legacy tokens). */
  SecretHasher(PepperKeyset keyset, PepperAccess access, String prefix) {
    this(keyset, access, prefix, NO_PROBE);
  }

  SecretHasher(PepperKeyset keyset, PepperAccess access, String prefix, Runnable probe) {
    this.keyset = keyset;
    this.access = access;
    this.versions = keyset.versions().stream().mapToInt(Integer::intValue).toArray();
    this.macs = ThreadLocal.withInitial(() -> new Mac[versions.length]);
    this.nativeDomain = domain(prefix);
    this.legacyDomain = domain(LEGACY_DOMAIN);
    this.probe = probe;
    newMac(keyset.primaryVersion()); // fail fast if the JDK lacks HmacSHA256
  }

  private static byte[] domain(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(bytes, bytes.length + 1); // the trailing 0x00 separates domain and secret
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

  /** The hash of a native token's secret under the primary pepper. */
  public CredentialHash hash(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.US_ASCII);
    try {
      return hash(false, bytes, 0, bytes.length);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The hash under the primary pepper of a secret presented in native or ({@code legacy}) dotted form. */
  public CredentialHash hash(boolean legacy, byte[] buf, int off, int len) {
    byte[] digest = new byte[DIGEST_BYTES];
    compute(keyset.primaryVersion(), legacy, buf, off, len, digest);
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    return new CredentialHash(CredentialHash.HMAC_SHA256, keyset.primaryVersion(), payload);
  }

  /**
   * True when HMAC(pepper {@code version}, domain || 0x00 || {@code buf[off, off+len)}) equals
   * {@code expected}. {@code scratch} receives the computed digest (32 bytes). When there is no
   * digest to compare with ({@code expected} null, or the version unknown), the HMAC is computed all
   * the same, under the primary pepper against a fixed dummy, and the answer is false: every call
   * costs one HMAC, so the caller's timing does not depend on what the token record holds.
   */
  public boolean matches(int version, byte[] expected, boolean legacy, byte[] buf, int off, int len, byte[] scratch) {
    boolean usable = expected != null && indexOf(version) >= 0;
    compute(usable ? version : keyset.primaryVersion(), legacy, buf, off, len, scratch);
    boolean equal = MessageDigest.isEqual(scratch, usable ? expected : DUMMY_DIGEST);
    return usable & equal;
  }

  private void compute(int version, boolean legacy, byte[] buf, int off, int len, byte[] out) {
    Mac mac = mac(version);
    byte[] domain = legacy ? legacyDomain : nativeDomain;
    mac.update(domain, 0, domain.length);
    mac.update(buf, off, len);
    probe.run();
    try {
      mac.doFinal(out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("digest buffer too small", e);
    }
  }

  private void computeUnbound(int version, byte[] buf, int off, int len, byte[] out) {
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
    byte[] key = keyset.keyMaterial(version, access);
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
    computeUnbound(version, label, 0, label.length, out);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /** The 32-byte digest of a native hash, or null if the hash is not of the native scheme or is damaged. */
  public static byte @Nullable [] digestOf(CredentialHash hash) {
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
