package dev.latchkey.internal;

import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The dotted token format of an older system, accepted for imported tokens only: {@code
 * pat.<accountId>.<tokenId>.<secret>} or {@code sat.<accountId>.<tokenId>.<secret>}. Parts are
 * ASCII {@code [A-Za-z0-9_-]}: account and token ids 1 to 64 characters, the secret 8 to 72. There
 * is no checksum, so every well-formed string costs a cache (and at worst a store) lookup. The
 * secret is capped at 72 characters because bcrypt reads only the first 72 bytes of its input: a
 * longer secret could not be verified whole, and any string sharing its first 72 characters would
 * pass.
 *
 * <p>An imported token's lookup id is derived from its legacy account and token ids (SHA-256,
 * first 16 base62 digits, 95 bits), so the verifier finds it without any index on legacy ids, and
 * the native token a rotation produces keeps the same lookup id.
 */
final class LegacyFormat {
  static final int MAX_ID = 64;
  static final int MIN_SECRET = 8;
  /** bcrypt's input limit; see the class comment. */
  static final int MAX_SECRET = 72;
  /** "sat." + 64 + "." + 64 + "." + 72 */
  public static final int MAX_LENGTH = 4 + MAX_ID + 1 + MAX_ID + 1 + MAX_SECRET;

  private LegacyFormat() {}

  /** Where the parts of a parsed legacy token are in the scratch buffer. */
  static final class Parsed {
    int kind;
    int accountStart;
    int accountEnd;
    int tokenStart;
    int tokenEnd;
    int secretStart;
    int secretEnd;
  }

  private static boolean partChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  /** Parses into {@code buf}; false if malformed. Allocates nothing. */
  static boolean parse(CharSequence token, byte[] buf, Parsed out) {
    if (token == null) {
      return false;
    }
    int n = token.length();
    if (n < 4 + 1 + 1 + 1 + 1 + MIN_SECRET || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = token.charAt(i);
      if (c > 127) {
        return false;
      }
      buf[i] = (byte) c;
    }
    if (buf[1] != 'a' || buf[2] != 't' || buf[3] != '.') {
      return false;
    }
    if (buf[0] == 'p') {
      out.kind = PrincipalType.USER.ordinal();
    } else if (buf[0] == 's') {
      out.kind = PrincipalType.SERVICE_ACCOUNT.ordinal();
    } else {
      return false;
    }
    int pos = 4;
    out.accountStart = pos;
    while (pos < n && partChar(buf[pos])) {
      pos++;
    }
    out.accountEnd = pos;
    if (pos >= n || buf[pos] != '.' || out.accountEnd == out.accountStart || out.accountEnd - out.accountStart > MAX_ID) {
      return false;
    }
    out.tokenStart = ++pos;
    while (pos < n && partChar(buf[pos])) {
      pos++;
    }
    out.tokenEnd = pos;
    if (pos >= n || buf[pos] != '.' || out.tokenEnd == out.tokenStart || out.tokenEnd - out.tokenStart > MAX_ID) {
      return false;
    }
    out.secretStart = ++pos;
    while (pos < n && partChar(buf[pos])) {
      pos++;
    }
    out.secretEnd = pos;
    int secretLength = out.secretEnd - out.secretStart;
    return pos == n && secretLength >= MIN_SECRET && secretLength <= MAX_SECRET;
  }

  /** The lookup id of an imported token with these legacy ids. */
  public static String lookupId(String legacyAccountId, String legacyTokenId) {
    byte[] a = legacyAccountId.getBytes(StandardCharsets.US_ASCII);
    byte[] t = legacyTokenId.getBytes(StandardCharsets.US_ASCII);
    return lookupId(a, 0, a.length, t, 0, t.length);
  }

  static String lookupId(byte[] account, int aOff, int aLen, byte[] token, int tOff, int tLen) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("latchkey-legacy-v1".getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(account, aOff, aLen);
      sha.update((byte) 0);
      sha.update(token, tOff, tLen);
      byte[] digest = sha.digest();
      // 12 bytes (96 bits) as 17 base62 digits; keep the last 16 (95 bits).
      String digits = Base62.encodeFixed(java.util.Arrays.copyOf(digest, 12), 17);
      return digits.substring(1, 1 + TokenFormat.ID_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
