package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Authorization scheme split, without a server. */
class CredentialReaderTest {

  private static String token(String header) {
    int start = CredentialReader.bearerTokenStart(header);
    return start < 0 ? null : header.substring(start);
  }

  @Test
  void bearerSchemeInAnyAsciiCase() {
    assertThat(token("Bearer abc")).isEqualTo("abc");
    assertThat(token("bearer abc")).isEqualTo("abc");
    assertThat(token("BEARER abc")).isEqualTo("abc");
  }

  @Test
  void oneOrMoreSpacesSeparateSchemeAndToken() {
    assertThat(token("Bearer    abc")).isEqualTo("abc");
    assertThat(token("Bearer")).isEmpty();
    assertThat(token("Bearer   ")).isEmpty();
  }

  @Test
  void theTokenIsNeverTrimmed() {
    assertThat(token("Bearer abc  ")).isEqualTo("abc  ");
    assertThat(token("Bearer \tabc")).isEqualTo("\tabc");
    assertThat(token("Bearer\tabc")).isEqualTo("\tabc");
    assertThat(token("Bearer a b")).isEqualTo("a b");
  }

  @Test
  void otherSchemesAreNotBearer() {
    assertThat(token("Basic abc")).isNull();
    assertThat(token("Bearerabc")).isNull();
    assertThat(token("Bear abc")).isNull();
    assertThat(token("")).isNull();
    assertThat(token(" Bearer abc")).isNull();
    assertThat(token("\u0130earer abc")).isNull(); // no Unicode case folding
    assertThat(token("bearer\u0000abc")).isNull();
  }

  @Test
  void credentialToStringRedactsTheToken() {
    var credential = new HeaderCredentials.Credential(HeaderCredentials.Source.API_KEY_HEADER, "acme_sat_secret");
    assertThat(credential.toString()).doesNotContain("secret");
  }
}
