package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The lookup id of an imported legacy token is stored, so its derivation is a format that must not
 * drift between versions: SHA-256 of {@code "latchkey-legacy-v1" 0x00 account 0x00 token}, the
 * first 12 bytes as 17 base62 digits, the last 16 of them. Restated here with BigInteger, not with
 * the implementation's own base62 code, so that a change to either the bytes hashed or the encoding
 * shows.
 */
class LegacyLookupIdTest {

  private static String expected(String account, String token) throws Exception {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes("latchkey-legacy-v1".getBytes(StandardCharsets.US_ASCII));
    in.write(0);
    in.writeBytes(account.getBytes(StandardCharsets.US_ASCII));
    in.write(0);
    in.writeBytes(token.getBytes(StandardCharsets.US_ASCII));
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.toByteArray());
    BigInteger value = new BigInteger(1, Arrays.copyOf(digest, 12));
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    StringBuilder digits = new StringBuilder();
    BigInteger base = BigInteger.valueOf(62);
    for (int i = 0; i < 17; i++) {
      BigInteger[] qr = value.divideAndRemainder(base);
      digits.append(alphabet.charAt(qr[1].intValue()));
      value = qr[0];
    }
    return digits.reverse().substring(1);
  }

  @Test
  void theLookupIdIsTheDocumentedDigestOfBothIds() throws Exception {
    for (String[] ids : new String[][] {{"acct", "tok"}, {"oldacct", "tok-1"}, {"a", "b"}, {"A1b2C3", "x_y-z"}}) {
      assertThat(LegacyFormat.lookupId(ids[0], ids[1])).as("%s / %s", ids[0], ids[1]).isEqualTo(expected(ids[0], ids[1]));
    }
  }

  @Test
  void whereTheAccountIdEndsMatters() {
    assertThat(LegacyFormat.lookupId("ab", "c")).isNotEqualTo(LegacyFormat.lookupId("a", "bc"));
  }

  @Test
  void zeroIsEncodedAsZeroDigits() {
    assertThat(Base62.encodeFixed(0L, 6)).isEqualTo("000000");
    assertThat(Base62.encodeFixed(61L, 2)).isEqualTo("0z");
  }
}
