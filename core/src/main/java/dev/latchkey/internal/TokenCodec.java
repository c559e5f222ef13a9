package dev.latchkey.internal;

import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * Builds and checks token strings of one {@link TokenFormat}. Parsing is strict and allocation
 * free: exact length first, then ASCII, prefix, separators, kind, alphabet and CRC32 checksum. No
 * normalisation, no case folding, no trimming.
 */
final class TokenCodec {
  public static final int SECRET_BYTES = 32;
  private static final int KIND_LENGTH = 3;

  private final TokenFormat format;
  private final byte[] prefix;
  private final int length;
  private final int kindStart;
  private final int idStart;
  private final int secretStart;
  private final int checksumStart;

  public TokenCodec(TokenFormat format) {
    this.format = format;
    this.prefix = format.prefix().getBytes(StandardCharsets.US_ASCII);
    this.length = format.tokenLength();
    this.kindStart = prefix.length + 1;
    this.idStart = kindStart + KIND_LENGTH + 1;
    this.secretStart = idStart + TokenFormat.ID_LENGTH + 1;
    this.checksumStart = secretStart + TokenFormat.SECRET_LENGTH;
  }

  public TokenFormat format() {
    return format;
  }

  public int length() {
    return length;
  }

  public int idStart() {
    return idStart;
  }

  public int idEnd() {
    return idStart + TokenFormat.ID_LENGTH;
  }

  public int secretStart() {
    return secretStart;
  }

  public String newLookupId(SecureRandom random) {
    return Base62.random(random, TokenFormat.ID_LENGTH);
  }

  /** 32 bytes from {@code random} as 43 base62 characters. */
  public String newSecret(SecureRandom random) {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    try {
      return Base62.encodeFixed(bytes, TokenFormat.SECRET_LENGTH);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  public String encode(PrincipalType type, String lookupId, String secret) {
    if (lookupId.length() != TokenFormat.ID_LENGTH || secret.length() != TokenFormat.SECRET_LENGTH) {
      throw new IllegalArgumentException("lookup id or secret of the wrong length");
    }
    StringBuilder sb = new StringBuilder(length);
    sb.append(format.prefix()).append('_').append(type.tokenKind()).append('_')
        .append(lookupId).append('_').append(secret);
    CRC32 crc = new CRC32();
    byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
    crc.update(body, 0, body.length);
    sb.append(Base62.encodeFixed(crc.getValue(), TokenFormat.CHECKSUM_LENGTH));
    return sb.toString();
  }

  /**
   * Checks a presented token and copies it, as ASCII, into {@code buf} (at least {@link #length()}
   * bytes). Returns the {@link PrincipalType#ordinal()} of its kind, or -1 if it is malformed in any
   * way. Allocates nothing.
   *
   * <p>Order: exact length; a bulk copy; the checksum (almost every malformed token fails here,
   * after about 25 ns of work); then, only for tokens with a valid checksum, that the input is
   * exactly those ASCII characters (the bulk copy keeps only the low byte of each char, so a
   * character above U+00FF could otherwise pass for an ASCII one), and the structure.
   */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a plain copy of low bytes, checked below
  public int parse(CharSequence token, byte[] buf, CRC32 crc) {
    if (token == null || token.length() != length) {
      return -1;
    }
    String string = token instanceof String str ? str : null;
    if (string != null) {
      string.getBytes(0, length, buf, 0);
    } else {
      for (int i = 0; i < length; i++) {
        char c = token.charAt(i);
        if (c > 127) {
          return -1;
        }
        buf[i] = (byte) c;
      }
    }
    long checksum = 0;
    for (int i = checksumStart; i < length; i++) {
      int d = Base62.digit(buf[i]);
      if (d < 0) {
        return -1;
      }
      checksum = checksum * 62 + d;
    }
    crc.reset();
    crc.update(buf, 0, checksumStart);
    if (crc.getValue() != checksum) {
      return -1;
    }
    if (string != null) {
      for (int i = 0; i < length; i++) {
        // a byte >= 0x80 is negative here and equals no char; a truncated char differs from its low byte
        if (string.charAt(i) != buf[i]) {
          return -1;
        }
      }
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buf[i] != prefix[i]) {
        return -1;
      }
    }
    if (buf[kindStart - 1] != '_' || buf[idStart - 1] != '_' || buf[secretStart - 1] != '_') {
      return -1;
    }
    int kind;
    byte k0 = buf[kindStart];
    if (k0 == 'p' && buf[kindStart + 1] == 'a' && buf[kindStart + 2] == 't') {
      kind = PrincipalType.USER.ordinal();
    } else if (k0 == 's' && buf[kindStart + 1] == 'a' && buf[kindStart + 2] == 't') {
      kind = PrincipalType.SERVICE_ACCOUNT.ordinal();
    } else {
      return -1;
    }
    if (!Base62.allBase62(buf, idStart, idStart + TokenFormat.ID_LENGTH)
        || !Base62.allBase62(buf, secretStart, checksumStart)) {
      return -1;
    }
    return kind;
  }
}
