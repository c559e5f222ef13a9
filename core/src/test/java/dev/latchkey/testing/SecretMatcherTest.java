package dev.latchkey.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matcher the hygiene tests share finds every piece of 12 characters or more, and nothing public. */
class SecretMatcherTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TokenText CODEC = new TokenText(TokenFormat.withPrefix("acme"));

  private final String lookupId = CODEC.newLookupId(RANDOM);
  private final String secret = CODEC.newSecret(RANDOM);
  private final String token = CODEC.encode(PrincipalType.SERVICE_ACCOUNT, lookupId, secret);
  private final SecretMatcher matcher = new SecretMatcher().token(token);

  @Test
  void findsEveryPieceOfTwelveCharactersOrMoreAnywhereInTheSecretPart() {
    String tail = token.substring(CODEC.secretStart()); // secret and checksum
    for (int from = 0; from + SecretMatcher.MIN_LENGTH <= tail.length(); from++) {
      String piece = tail.substring(from, from + SecretMatcher.MIN_LENGTH);
      assertThat(matcher.findIn("verified key=" + piece + " ok")).as("piece at %d", from).hasSize(1);
    }
    assertThat(matcher.findIn("debug " + secret)).as("the secret without its checksum").isNotEmpty();
    assertThat(matcher.findIn(token)).as("the whole token").isNotEmpty();
    assertThat(matcher.findIn("x" + secret.substring(7, 30) + "y")).as("a piece from the middle").isNotEmpty();
  }

  @Test
  void findsPiecesThatStraddleTheLastSeparator() {
    String straddling = token.substring(CODEC.secretStart() - 5, CODEC.secretStart() + 7); // "..id_" + 7 secret chars
    assertThat(matcher.findIn(straddling)).hasSize(1);
  }

  @Test
  void ignoresThePublicPartsAndShorterPieces() {
    assertThat(matcher.findIn("lookupId=" + lookupId + " token acme_sat_" + lookupId + "_")).isEmpty();
    assertThat(matcher.findIn(secret.substring(0, SecretMatcher.MIN_LENGTH - 1))).isEmpty();
    assertThat(matcher.findIn(secret.substring(20, 20 + SecretMatcher.MIN_LENGTH - 1) + " "
        + secret.substring(31, 31 + SecretMatcher.MIN_LENGTH - 1))).isEmpty();
    assertThat(matcher.findIn("")).isEmpty();
  }

  @Test
  void shortSecretsAreSearchedWhole() {
    SecretMatcher m = new SecretMatcher().secret("tiny-secret");
    assertThat(m.findIn("a tiny-secret here")).hasSize(1);
    assertThat(m.findIn("a tiny-secre here")).isEmpty();
  }

  @Test
  void peppersInEveryEncoding() {
    PepperKeyset keyset = PepperKeyset.generate(RANDOM);
    SecretMatcher m = new SecretMatcher().peppers(keyset);
    String b64 = keyset.export().substring(keyset.export().indexOf(':') + 1);
    byte[] key = Base64.getDecoder().decode(b64);
    assertThat(m.findIn("key " + b64.substring(10, 22))).isNotEmpty();
    assertThat(m.findIn(Base64.getUrlEncoder().withoutPadding().encodeToString(key))).isNotEmpty();
    assertThat(m.findIn(keyset.toString())).isEmpty();
  }

  @Test
  void assertNoneInFailsWithWhereAndWhat() {
    matcher.assertNoneIn("clean texts", List.of("nothing here", "lookupId=" + lookupId));
    assertThatThrownBy(() -> matcher.assertNoneIn("log lines", List.of("fine", "oops " + secret.substring(3, 19))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("log lines")
        .hasMessageContaining(secret.substring(3, 15));
    assertThatThrownBy(() -> new SecretMatcher().assertNoneIn("anything", List.of("x")))
        .as("an empty matcher would pass everything").isInstanceOf(AssertionError.class);
  }

  @Test
  void combines() {
    SecretMatcher other = new SecretMatcher().secret("another-secret-value");
    SecretMatcher both = new SecretMatcher().addAll(matcher).addAll(other);
    assertThat(both.size()).isEqualTo(2);
    assertThat(both.findIn(secret)).isNotEmpty();
    assertThat(both.findIn("another-secret")).isNotEmpty();
  }
}
