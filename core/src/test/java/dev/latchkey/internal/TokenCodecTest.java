package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConfigurationException;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.security.SecureRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class TokenCodecTest {
  private final TokenCodec codec = new TokenCodec(TokenFormat.withPrefix("acme"));
  private final SecureRandom random = new SecureRandom();
  private final byte[] buf = new byte[128];
  private final CRC32 crc = new CRC32();

  private String issue(PrincipalType type) {
    return codec.encode(type, codec.newLookupId(random), codec.newSecret(random));
  }

  @Test
  void issuedTokensHaveTheDocumentedShape() {
    String token = issue(PrincipalType.SERVICE_ACCOUNT);
    assertThat(token).hasSize(4 + 71).startsWith("acme_sat_");
    assertThat(token.charAt(25)).isEqualTo('_');
    assertThat(token.substring(9, 25)).matches("[0-9A-Za-z]{16}");
    assertThat(token.substring(26)).matches("[0-9A-Za-z]{49}");
    assertThat(issue(PrincipalType.USER)).startsWith("acme_pat_");
  }

  @Test
  void parseReturnsTheKindAndCopiesTheBytes() {
    String sat = issue(PrincipalType.SERVICE_ACCOUNT);
    assertThat(codec.parse(sat, buf, crc)).isEqualTo(PrincipalType.SERVICE_ACCOUNT.ordinal());
    assertThat(new String(buf, 0, sat.length(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(sat);
    assertThat(codec.parse(issue(PrincipalType.USER), buf, crc)).isEqualTo(PrincipalType.USER.ordinal());
  }

  @Test
  void checksumIsCrc32OfEverythingBeforeItInFixedWidthBase62() {
    String token = issue(PrincipalType.USER);
    String body = token.substring(0, token.length() - TokenFormat.CHECKSUM_LENGTH);
    CRC32 c = new CRC32();
    c.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(token.substring(body.length())).isEqualTo(Base62.encodeFixed(c.getValue(), 6));
  }

  @Test
  void rejectsEveryMalformation() {
    String good = issue(PrincipalType.SERVICE_ACCOUNT);
    String[] bad = {
      null, "", " ", good + "a", good.substring(1), good.substring(0, good.length() - 1),
      "ACME" + good.substring(4), "acme_acme" + good.substring(4), "acmf" + good.substring(4),
      good.replace("_sat_", "_xat_"), good.replace("_sat_", "_SAT_"), good.replace("_sat_", "-sat-"),
      good.substring(0, 25) + "-" + good.substring(26), " " + good.substring(1), good.substring(0, good.length() - 1) + " ",
      good.substring(0, 30) + "\u0000" + good.substring(31), good.substring(0, 30) + "\u200b" + good.substring(31),
      good.substring(0, 30) + "\u0430" + good.substring(31), // Cyrillic a
      good.substring(0, 30) + "\u00e9" + good.substring(31), good.substring(0, 30) + "+" + good.substring(31),
      good.substring(0, 30) + "_" + good.substring(31), "x".repeat(1_000_000),
    };
    for (String b : bad) {
      assertThat(codec.parse(b, buf, crc)).as("%s", b == null ? "null" : b.length() > 100 ? "1MB" : b).isEqualTo(-1);
    }
  }

  @Test
  void charactersWhoseLowByteIsAValidCharacterAreRejected() {
    String good = issue(PrincipalType.SERVICE_ACCOUNT);
    for (int i = 0; i < good.length(); i++) {
      for (int high : new int[] {0x100, 0x4100, 0xFF00}) {
        String wide = good.substring(0, i) + (char) (good.charAt(i) + high) + good.substring(i + 1);
        assertThat(codec.parse(wide, buf, crc)).as("position %d, +0x%x", i, high).isEqualTo(-1);
        assertThat(codec.parse(new StringBuilder(wide), buf, crc)).isEqualTo(-1);
      }
      String latin1 = good.substring(0, i) + (char) (good.charAt(i) + 0x80) + good.substring(i + 1);
      assertThat(codec.parse(latin1, buf, crc)).isEqualTo(-1);
    }
    assertThat(codec.parse(new StringBuilder(good), buf, crc)).as("any CharSequence works").isEqualTo(1);
  }

  @Test
  void aValidChecksumDoesNotRescueAWrongPrefix() {
    TokenCodec other = new TokenCodec(TokenFormat.withPrefix("acmf"));
    String foreign = other.encode(PrincipalType.USER, codec.newLookupId(random), codec.newSecret(random));
    assertThat(codec.parse(foreign, buf, crc)).isEqualTo(-1);
    assertThat(other.parse(foreign, buf, crc)).isEqualTo(0);
  }

  @Test
  void prefixRules() {
    assertThat(TokenFormat.withPrefix("a").prefix()).isEqualTo("a");
    assertThat(TokenFormat.withPrefix("a1b2c3d4e5f6g7h8").tokenLength()).isEqualTo(16 + 71);
    for (String p : new String[] {null, "", "1abc", "Acme", "ac_me", "ac-me", "a".repeat(17), "é"}) {
      assertThatThrownBy(() -> TokenFormat.withPrefix(p)).isInstanceOf(ConfigurationException.class);
    }
  }

  @Test
  void scannerRegexMatchesTokensInText() {
    TokenFormat f = TokenFormat.withPrefix("acme");
    String token = issue(PrincipalType.USER);
    assertThat(f.scannerPattern().matcher("export KEY=" + token + "\n").find()).isTrue();
    assertThat(f.scannerPattern().matcher("\"" + token + "\"").find()).isTrue();
    assertThat(f.scannerPattern().matcher("xacme" + token.substring(4)).find()).isFalse();
    assertThat(f.scannerPattern().matcher(token + "x").find()).isFalse();
  }

  @Test
  void secretsEncode32BytesAsFixedWidthBase62() {
    byte[] max = new byte[32];
    java.util.Arrays.fill(max, (byte) 0xFF);
    assertThat(Base62.encodeFixed(max, 43)).hasSize(43);
    assertThat(Base62.encodeFixed(new byte[32], 43)).isEqualTo("0".repeat(43));
    assertThatThrownBy(() -> Base62.encodeFixed(max, 42)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Base62.encodeFixed(61, 1)).isEqualTo("z");
    assertThat(Base62.encodeFixed(62, 2)).isEqualTo("10");
    assertThat(Base62.encodeFixed(0xFFFFFFFFL, 6)).hasSize(6);
  }

  @Test
  void theEightBytesAtATimeAlphabetCheckAgreesWithTheTableForEveryByteValue() {
    byte[] eight = "aZ09bY18".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Base62.allBase62(eight, 0, 8)).isTrue();
    for (int position = 0; position < 8; position++) {
      for (int v = 0; v < 256; v++) {
        byte[] b = eight.clone();
        b[position] = (byte) v;
        assertThat(Base62.allBase62(b, 0, 8)).as("byte 0x%02x at %d", v, position).isEqualTo(Base62.digit((byte) v) >= 0);
      }
    }
    for (int n = 0; n < 20_000; n++) {
      byte[] b = new byte[1 + n % 50];
      random.nextBytes(b);
      for (int i = 0; i < b.length; i++) {
        if (n % 2 == 0) {
          b[i] = (byte) "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".charAt((b[i] & 0xFF) % 62);
        }
      }
      if (n % 4 == 0) {
        b[(n / 4) % b.length] = (byte) n;
      }
      boolean expected = true;
      for (byte x : b) {
        expected &= Base62.digit(x) >= 0;
      }
      assertThat(Base62.allBase62(b, 0, b.length)).isEqualTo(expected);
    }
  }

  @Test
  void fixedWidthEncodingAgreesWithBigInteger() {
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (int n = 0; n < 2000; n++) {
      byte[] bytes = new byte[n % 3 == 0 ? 32 : 1 + n % 40];
      random.nextBytes(bytes);
      if (n % 7 == 0) {
        java.util.Arrays.fill(bytes, 0, bytes.length / 2, (byte) 0);
      }
      java.math.BigInteger v = new java.math.BigInteger(1, bytes);
      int width = 1 + (int) Math.ceil(bytes.length * 8 / (Math.log(62) / Math.log(2)));
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < width; i++) {
        java.math.BigInteger[] qr = v.divideAndRemainder(java.math.BigInteger.valueOf(62));
        expected.append(alphabet.charAt(qr[1].intValue()));
        v = qr[0];
      }
      assertThat(Base62.encodeFixed(bytes, width)).isEqualTo(expected.reverse().toString());
    }
  }

  @Test
  void randomBase62IsUniformEnoughAndUsesTheWholeAlphabet() {
    int[] counts = new int[62];
    String s = Base62.random(random, 62_000);
    for (char c : s.toCharArray()) {
      counts[Base62.digit(c)]++;
    }
    for (int n : counts) {
      assertThat(n).isBetween(700, 1300); // expected 1000 each; a modulo bias or missing letter fails
    }
  }
}
