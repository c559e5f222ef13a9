package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.servlet.HeaderCredentials.Credential;
import dev.latchkey.servlet.HeaderCredentials.Problem;
import dev.latchkey.servlet.HeaderCredentials.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The servlet-free entry point to the credential rules, as the Spring integration calls it. */
class HeaderCredentialsTest {
  private final HeaderCredentials both = new HeaderCredentials(true, "X-Api-Key", 100);

  @Test
  void aBearerTokenOrAnApiKeyIsTheCredential() {
    assertThat(both.read(List.of("Bearer abc"), null)).isEqualTo(new Credential(Source.AUTHORIZATION_BEARER, "abc"));
    assertThat(both.read(List.of("bEARER   abc"), List.of())).isEqualTo(new Credential(Source.AUTHORIZATION_BEARER, "abc"));
    assertThat(both.read(null, List.of("abc"))).isEqualTo(new Credential(Source.API_KEY_HEADER, "abc"));
  }

  @Test
  void otherSchemesAndAbsentHeadersAreMissing() {
    assertThat(both.read(List.of("Basic dXNlcjpwYXNz"), null)).isEqualTo(Problem.MISSING);
    assertThat(both.read(null, null)).isEqualTo(Problem.MISSING);
    assertThat(both.read(List.of(), List.of())).isEqualTo(Problem.MISSING);
  }

  @Test
  void ambiguousOrOversizedRequestsAreProblems() {
    assertThat(both.read(List.of("Bearer a", "Bearer b"), null)).isEqualTo(Problem.DUPLICATE_AUTHORIZATION_HEADER);
    assertThat(both.read(null, List.of("a", "b"))).isEqualTo(Problem.DUPLICATE_API_KEY_HEADER);
    assertThat(both.read(List.of("Bearer a"), List.of("b"))).isEqualTo(Problem.TWO_CREDENTIALS);
    assertThat(both.read(List.of("Bearer " + "x".repeat(100)), null)).isEqualTo(Problem.HEADER_TOO_LONG);
    assertThat(both.read(null, List.of("x".repeat(101)))).isEqualTo(Problem.HEADER_TOO_LONG);
  }

  @Test
  void aDisabledSourceIsIgnored() {
    HeaderCredentials apiKeyOnly = new HeaderCredentials(false, "X-Api-Key", 100);
    assertThat(apiKeyOnly.read(List.of("Bearer a"), null)).isEqualTo(Problem.MISSING);
    assertThat(apiKeyOnly.read(List.of("Bearer a"), List.of("b"))).isEqualTo(new Credential(Source.API_KEY_HEADER, "b"));
    HeaderCredentials bearerOnly = new HeaderCredentials(true, null, 100);
    assertThat(bearerOnly.read(null, List.of("b"))).isEqualTo(Problem.MISSING);
  }
}
