package dev.latchkey.spi;

import dev.latchkey.InvalidArgumentException;

/**
 * A stored credential hash that names its own scheme and pepper version, so old hashes keep
 * verifying while new ones use the primary scheme. Encoded as {@code <scheme>$<version>$<payload>}:
 *
 * <ul>
 *   <li>{@code hmac-sha256$<pepper version>$<base64url digest>}: the native scheme;
 *   <li>{@code bcrypt$0$<$2a$/$2b$ hash>}: imported legacy credentials, upgraded on first use.
 * </ul>
 *
 * Never contains a secret. {@link #toString()} shows the scheme and version only.
 */
public record CredentialHash(String scheme, int pepperVersion, String payload) {
  public static final String HMAC_SHA256 = "hmac-sha256";
  public static final String BCRYPT = "bcrypt";
  public static final int MAX_ENCODED_LENGTH = 256;

  public CredentialHash {
    if (!isScheme(scheme)) {
      throw new InvalidArgumentException("credential hash scheme must be 1 to 32 of [a-z0-9-]");
    }
    if (pepperVersion < 0 || pepperVersion > 65535) {
      throw new InvalidArgumentException("credential hash pepper version must be 0 to 65535");
    }
    if (payload == null || payload.isEmpty() || payload.length() > 200) {
      throw new InvalidArgumentException("credential hash payload must be 1 to 200 characters");
    }
    for (int i = 0; i < payload.length(); i++) {
      char c = payload.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new InvalidArgumentException("credential hash payload must be printable ASCII");
      }
    }
  }

  private static boolean isScheme(String s) {
    if (s == null || s.isEmpty() || s.length() > 32) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public String encoded() {
    return scheme + "$" + pepperVersion + "$" + payload;
  }

  public static CredentialHash parse(String encoded) {
    if (encoded == null || encoded.length() > MAX_ENCODED_LENGTH) {
      throw new InvalidArgumentException("not an encoded credential hash");
    }
    int a = encoded.indexOf('$');
    int b = a < 0 ? -1 : encoded.indexOf('$', a + 1);
    if (a <= 0 || b < 0) {
      throw new InvalidArgumentException("not an encoded credential hash");
    }
    int version;
    try {
      version = Integer.parseInt(encoded.substring(a + 1, b));
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("not an encoded credential hash");
    }
    return new CredentialHash(encoded.substring(0, a), version, encoded.substring(b + 1));
  }

  @Override
  public String toString() {
    return "CredentialHash[" + scheme + ", v" + pepperVersion + "]";
  }
}
