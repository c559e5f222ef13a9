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

  private final byte[] salt = new byte[SALT_BYTES];

  FastSecretCheck(SecureRandom random) {
    random.nextBytes(salt);
  }

  /** One thread's digest. */
  final class PerThread {
    private final MessageDigest sha256;

    private PerThread() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by every Java platform", e);
      }
    }

    /**
     * The tag of {@code buf[off, off+len)} into {@code out} (32 bytes). Allocates and copies nothing:
     * the digest buffers salt and secret itself (one SHA-256 block for a 43-byte secret) and clears
     * its buffer when it finishes.
     */
    void tag(byte[] buf, int off, int len, byte[] out) {
      sha256.update(salt, 0, SALT_BYTES);
      sha256.update(buf, off, len);
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
