package dev.latchkey.testing;

import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Token strings of one prefix, built from the format {@link TokenFormat} documents ({@code
 * <prefix>_<pat|sat>_<id>_<secret><checksum>}, CRC32 checksum in base62) and not with core's own
 * codec, which is not public: forged values with a valid checksum (an unknown id, a wrong secret),
 * and the positions of the parts in a value. An independent second reading of the format, so a test
 * that forges tokens with it also checks that the codec follows the documented format.
 */
public final class TokenText {
  public static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final String prefix;

  public TokenText(TokenFormat format) {
    this.prefix = format.prefix();
  }

  /** The length of every token of this prefix. */
  public int length() {
    return prefix.length() + 5 + TokenFormat.ID_LENGTH + 1 + TokenFormat.SECRET_LENGTH + TokenFormat.CHECKSUM_LENGTH;
  }

  public int idStart() {
    return prefix.length() + 5; // "<prefix>_sat_"
  }

  public int idEnd() {
    return idStart() + TokenFormat.ID_LENGTH;
  }

  public int secretStart() {
    return idEnd() + 1;
  }

  public String newLookupId(Random random) {
    return base62(random, TokenFormat.ID_LENGTH);
  }

  public String newSecret(Random random) {
    return base62(random, TokenFormat.SECRET_LENGTH);
  }

  /** A well-formed token (valid checksum) of these parts. */
  public String encode(PrincipalType type, String lookupId, String secret) {
    String body = prefix + "_" + type.tokenKind() + "_" + lookupId + "_" + secret;
    return body + checksum(body);
  }

  /** CRC32 of {@code body} as 6 base62 digits, most significant first. */
  public static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    char[] digits = new char[TokenFormat.CHECKSUM_LENGTH];
    long value = crc.getValue();
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }

  private static String base62(Random random, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE62.charAt(random.nextInt(62));
    }
    return new String(out);
  }
}
