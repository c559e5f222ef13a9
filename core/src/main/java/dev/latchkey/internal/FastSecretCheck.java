package dev.latchkey.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The cached fast path for secrets that already passed the full HMAC check on this node.
 *
 * <p>After a presented secret matches its stored HMAC, the verifier keeps, in that token's cache
 * entry, {@code SHA-256(salt || secret)} with a random 12-byte salt chosen per Latchkey instance.
 * Later verifications of the same token compare against that tag: 55 bytes fit one SHA-256 block,
 * so this costs one compression instead of HMAC's four. Accepting a different secret would need a
 * second preimage of SHA-256; reading the tag from memory yields nothing usable, because inverting
 * it means searching 256 bits of secret. The tag never leaves memory, is never stored, and dies
 * with the cache entry (every mutation of the token replaces the entry). Comparison is
 * constant-time on 32-byte digests.
 */
final class FastSecretCheck {
  static final int SALT_BYTES = 12;
  static final int TAG_BYTES = 32;
  /** Native secrets are 43 bytes, legacy ones at most 72. */
  private static final int MAX_SECRET_BYTES = 128;

  private final byte[] salt = new byte[SALT_BYTES];

  FastSecretCheck(SecureRandom random) {
    random.nextBytes(salt);
  }

  /**
   * One thread's digest and input buffer. The buffer starts with the salt, so a tag is one copy of
   * the secret and one {@code update}: for a 43-byte secret, exactly one SHA-256 block.
   */
  final class PerThread {
    private final MessageDigest sha256;
    private final byte[] input = new byte[SALT_BYTES + MAX_SECRET_BYTES];

    private PerThread() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by every Java platform", e);
      }
      System.arraycopy(salt, 0, input, 0, SALT_BYTES);
    }

    /** The tag of {@code buf[off, off+len)} into {@code out} (32 bytes). Allocates nothing. */
    void tag(byte[] buf, int off, int len, byte[] out) {
      System.arraycopy(buf, off, input, SALT_BYTES, len);
      sha256.update(input, 0, SALT_BYTES + len);
      java.util.Arrays.fill(input, SALT_BYTES, SALT_BYTES + len, (byte) 0);
      try {
        sha256.digest(out, 0, TAG_BYTES);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
    }

    byte[] newTag(byte[] buf, int off, int len) {
      byte[] out = new byte[TAG_BYTES];
      tag(buf, off, len, out);
      return out;
    }

    boolean matches(byte[] expectedTag, byte[] buf, int off, int len, byte[] scratch) {
      tag(buf, off, len, scratch);
      return MessageDigest.isEqual(scratch, expectedTag);
    }
  }

  PerThread newPerThread() {
    return new PerThread();
  }
}
