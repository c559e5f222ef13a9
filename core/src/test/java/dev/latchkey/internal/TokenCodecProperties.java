package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the token format (jqwik). */
class TokenCodecProperties {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";

  @Provide
  Arbitrary<String> prefixes() {
    return Combinators.combine(
            Arbitraries.chars().range('a', 'z'),
            Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMaxLength(15))
        .as((first, rest) -> first + rest);
  }

  @Provide
  Arbitrary<PrincipalType> types() {
    return Arbitraries.of(PrincipalType.class);
  }

  private static String issue(TokenCodec codec, PrincipalType type) {
    return codec.encode(type, codec.newLookupId(RANDOM), codec.newSecret(RANDOM));
  }

  @Property(tries = 300)
  void roundTrip(@ForAll("prefixes") String prefix, @ForAll("types") PrincipalType type) {
    TokenCodec codec = new TokenCodec(TokenFormat.withPrefix(prefix));
    String lookupId = codec.newLookupId(RANDOM);
    String secret = codec.newSecret(RANDOM);
    String token = codec.encode(type, lookupId, secret);
    byte[] buf = new byte[codec.length()];
    assertThat(codec.parse(token, buf, new CRC32())).isEqualTo(type.ordinal());
    assertThat(token.substring(codec.idStart(), codec.idEnd())).isEqualTo(lookupId);
    assertThat(token.substring(codec.secretStart(), codec.secretStart() + TokenFormat.SECRET_LENGTH)).isEqualTo(secret);
  }

  @Property(tries = 300)
  void everyIssuedTokenMatchesThePublishedRegex(@ForAll("prefixes") String prefix, @ForAll("types") PrincipalType type) {
    TokenFormat format = TokenFormat.withPrefix(prefix);
    String token = issue(new TokenCodec(format), type);
    assertThat(token).matches(format.scannerPattern());
    assertThat(token).hasSize(format.tokenLength());
  }

  @Property(tries = 1000)
  void anySingleCharacterSubstitutionIsRejected(
      @ForAll @IntRange(min = 0, max = 200) int position, @ForAll @IntRange(min = 0, max = 10_000) int replacement) {
    TokenCodec codec = new TokenCodec(TokenFormat.withPrefix("acme"));
    String token = issue(codec, PrincipalType.SERVICE_ACCOUNT);
    int p = position % token.length();
    char c = replacement < 62 ? ALPHABET.charAt(replacement) : (char) replacement;
    if (c == token.charAt(p)) {
      c = c == 'a' ? 'b' : 'a';
    }
    String mutated = token.substring(0, p) + c + token.substring(p + 1);
    assertThat(codec.parse(mutated, new byte[codec.length()], new CRC32())).isEqualTo(-1);
  }

  @Property(tries = 500)
  void anySingleCharacterDeletionIsRejected(@ForAll @IntRange(min = 0, max = 200) int position) {
    TokenCodec codec = new TokenCodec(TokenFormat.withPrefix("acme"));
    String token = issue(codec, PrincipalType.USER);
    int p = position % token.length();
    String mutated = token.substring(0, p) + token.substring(p + 1);
    assertThat(codec.parse(mutated, new byte[codec.length()], new CRC32())).isEqualTo(-1);
  }

  @Property(tries = 500)
  void anySingleCharacterInsertionIsRejected(
      @ForAll @IntRange(min = 0, max = 200) int position, @ForAll @IntRange(min = 0, max = 62) int which) {
    TokenCodec codec = new TokenCodec(TokenFormat.withPrefix("acme"));
    String token = issue(codec, PrincipalType.USER);
    int p = position % (token.length() + 1);
    String mutated = token.substring(0, p) + ALPHABET.charAt(which) + token.substring(p);
    assertThat(codec.parse(mutated, new byte[codec.length() + 1], new CRC32())).isEqualTo(-1);
  }

  @Property(tries = 5)
  void noTwoIssuedTokensCollideInALargeSample(@ForAll("types") PrincipalType type) {
    TokenCodec codec = new TokenCodec(TokenFormat.withPrefix("acme"));
    Set<String> tokens = new HashSet<>();
    Set<String> ids = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String token = issue(codec, type);
      assertThat(tokens.add(token)).isTrue();
      assertThat(ids.add(token.substring(codec.idStart(), codec.idEnd()))).isTrue();
      assertThat(secrets.add(token.substring(codec.secretStart()))).isTrue();
    }
  }
}
