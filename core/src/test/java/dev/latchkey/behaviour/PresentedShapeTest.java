package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Verified;
import dev.latchkey.testing.World;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which strings are well-formed, at the edges of each rule: the dotted legacy form's lengths
 * (account and token ids 1 to 64 characters, the secret 8 to 72, so 16 to 206 in all), its prefix and
 * separators; and characters outside ASCII whose low byte is a token character, in a {@code String}
 * and in another {@code CharSequence}. A malformed string is MALFORMED without a store read; a
 * well-formed one that no token has is UNKNOWN after one.
 */
class PresentedShapeTest {
  private final World w = new World(b -> b.acceptLegacyTokens(true));

  @AfterEach
  void close() {
    w.close();
  }

  private static String chars(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  private void assertMalformed(CharSequence presented) {
    long lookups = w.store.tokenLookups.get();
    assertThat(w.verifier.verify(presented)).as(presented.toString()).isEqualTo(Rejected.of(RejectReason.MALFORMED));
    assertThat(w.store.tokenLookups.get()).as("no store read for " + presented).isEqualTo(lookups);
  }

  private void assertWellFormedButUnknown(CharSequence presented) {
    long lookups = w.store.tokenLookups.get();
    assertThat(w.verifier.verify(presented)).as(presented.toString()).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
    assertThat(w.store.tokenLookups.get()).as("one store read for " + presented).isEqualTo(lookups + 1);
  }

  @Test
  void legacyLengthsAreAcceptedExactlyWithinTheirBounds() {
    assertWellFormedButUnknown("sat.a.b.12345678"); // 16: the shortest
    assertMalformed("sat.a.b.1234567"); // a 7-character secret
    String longest = "pat." + chars('a', 64) + "." + chars('b', 64) + "." + chars('c', 72);
    assertThat(longest).hasSize(206);
    assertWellFormedButUnknown(longest);
    assertMalformed("pat." + chars('a', 65) + "." + chars('b', 64) + "." + chars('c', 71)); // 206, account 65
    assertMalformed("pat." + chars('a', 63) + "." + chars('b', 65) + "." + chars('c', 72)); // 206, token 65
    assertMalformed("pat." + chars('a', 64) + "." + chars('b', 64) + "." + chars('c', 73)); // 207
    assertMalformed("pat." + chars('a', 64) + "." + chars('b', 64) + "." + chars('c', 4000));
    assertMalformed("pat." + chars('a', 202)); // 206, no separator after the account id
    assertMalformed("pat.a." + chars('b', 200)); // 206, none after the token id
    assertWellFormedButUnknown("pat." + chars('a', 64) + ".b.12345678");
    assertWellFormedButUnknown("pat.a." + chars('b', 64) + ".12345678");
  }

  @Test
  void legacyPrefixAndSeparatorsAreExact() {
    assertWellFormedButUnknown("pat.acct.tok.Secret12");
    assertWellFormedButUnknown("sat.acct.tok2.Secret12"); // another id: the lookup id ignores the type
    assertMalformed("xat.acct.tok.Secret12");
    assertMalformed("pbt.acct.tok.Secret12");
    assertMalformed("pa..acct.tok.Secret12");
    assertMalformed("pat_acct.tok.Secret12");
    assertMalformed("pat..tok.Secret123456"); // no account id
    assertMalformed("pat.acct..Secret12345"); // no token id
    assertMalformed("pat.accttokSecret1234"); // one part only
    assertMalformed("pat.acct.tokSecret123"); // two parts only
    assertMalformed("pat.acct.tok.Secret.12"); // a dot in the secret
    assertMalformed("pat.acct.tok.Secret12 ");
    assertMalformed("pat.acct.tok.Secr\u00e9t12");
    assertMalformed("pat.ac\u0163t.tok.Secret12"); // low byte 0x63 'c'
  }

  @Test
  void aCharacterOutsideAsciiWhoseLowByteIsTheTokensCharacterIsNotThatCharacter() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    String value = t.value().reveal();
    assertThat(w.verifier.verify(new StringBuilder(value))).as("the token, not as a String").isInstanceOf(Verified.class);
    for (int i : new int[] {0, value.length() / 2, value.length() - 1}) {
      char c = value.charAt(i);
      String wide = value.substring(0, i) + (char) (0x100 + c) + value.substring(i + 1);
      assertMalformed(wide);
      assertMalformed(new StringBuilder(wide));
    }
  }

  /** {@code body} with its checksum: CRC32 of the body as 6 base62 digits (0-9, A-Z, a-z), as anyone can compute it. */
  private static String withChecksum(String body) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    StringBuilder digits = new StringBuilder();
    long v = crc.getValue();
    for (int i = 0; i < dev.latchkey.TokenFormat.CHECKSUM_LENGTH; i++) {
      digits.insert(0, alphabet.charAt((int) (v % 62)));
      v /= 62;
    }
    return body + digits;
  }

  @Test
  void aRightChecksumDoesNotMakeAWrongShapeWellFormed() {
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    String value = t.value().reveal();
    String body = value.substring(0, value.length() - dev.latchkey.TokenFormat.CHECKSUM_LENGTH);
    assertThat(withChecksum(body)).as("the checksum restated").isEqualTo(value);
    int kind = "acme_".length();
    int id = kind + 4;
    int secret = id + dev.latchkey.TokenFormat.ID_LENGTH + 1;
    assertMalformed(withChecksum(body.substring(0, kind - 1) + "x" + body.substring(kind)));
    assertMalformed(withChecksum(body.substring(0, id - 1) + "x" + body.substring(id)));
    assertMalformed(withChecksum(body.substring(0, secret - 1) + "x" + body.substring(secret)));
    assertMalformed(withChecksum(body.substring(0, kind) + "xat" + body.substring(kind + 3)));
    assertMalformed(withChecksum(body.substring(0, kind) + "pbt" + body.substring(kind + 3)));
    assertMalformed(withChecksum(body.substring(0, id) + "-" + body.substring(id + 1)));
    assertMalformed(withChecksum(body.substring(0, secret) + "-" + body.substring(secret + 1)));
    assertMalformed(withChecksum("bcme" + body.substring(4)));
  }
}
