package dev.latchkey;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The token format: {@code <prefix>_<kind>_<id>_<secret><checksum>}, for example {@code
 * acme_sat_4q8Zr1XbT0aP2wKe_<43 characters of secret><6 characters of checksum>}.
 *
 * <ul>
 *   <li>{@code prefix}: chosen by the application, 1 to 16 lower-case ASCII letters and digits,
 *       starting with a letter, so that secret scanners can register a pattern for it;
 *   <li>{@code kind}: {@code pat} (a user's personal access token) or {@code sat} (a service
 *       account token);
 *   <li>{@code id}: the token's public lookup id, 16 random base62 characters (95 bits);
 *   <li>{@code secret}: 32 bytes from a {@link java.security.SecureRandom}, as 43 base62 characters;
 *   <li>{@code checksum}: CRC32 of everything before it, as 6 base62 characters.
 * </ul>
 *
 * <p>Base62 uses {@code 0-9A-Za-z}. Every token of one prefix has the same length, {@link
 * #tokenLength()}, which is also the hard cap the verifier applies before reading anything else.
 */
public final class TokenFormat {
  public static final String DEFAULT_PREFIX = "lk";
  public static final int ID_LENGTH = 16;
  public static final int SECRET_LENGTH = 43;
  public static final int CHECKSUM_LENGTH = 6;
  static final int MAX_PREFIX_LENGTH = 16;

  private final String prefix;

  private TokenFormat(String prefix) {
    this.prefix = prefix;
  }

  /** A format with the given prefix; see the class comment for the rules. */
  public static TokenFormat withPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH) {
      throw new ConfigurationException("token prefix must be 1 to " + MAX_PREFIX_LENGTH + " characters");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        throw new ConfigurationException(
            "token prefix must be lower-case ASCII letters and digits, starting with a letter");
      }
    }
    return new TokenFormat(prefix);
  }

  public static TokenFormat defaultFormat() {
    return new TokenFormat(DEFAULT_PREFIX);
  }

  public String prefix() {
    return prefix;
  }

  /** The exact length of every token of this format. */
  public int tokenLength() {
    return prefix.length() + 1 + 3 + 1 + ID_LENGTH + 1 + SECRET_LENGTH + CHECKSUM_LENGTH;
  }

  /**
   * The regular expression a secret scanner should register: it matches every token of this format
   * and, thanks to the fixed lengths and the prefix, very little else. The checksum lets a scanner
   * discard random matches without calling us.
   */
  public String scannerRegex() {
    return "\\b" + prefix + "_(?:pat|sat)_[0-9A-Za-z]{" + ID_LENGTH + "}_[0-9A-Za-z]{"
        + (SECRET_LENGTH + CHECKSUM_LENGTH) + "}\\b";
  }

  /** {@link #scannerRegex()} compiled. */
  public Pattern scannerPattern() {
    return Pattern.compile(scannerRegex());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TokenFormat f && f.prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  @Override
  public String toString() {
    return "TokenFormat[" + prefix + "_<pat|sat>_<id>_<secret><checksum>]";
  }
}
