package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationTest {
  @Test
  void identifiers() {
    for (String ok : new String[] {"a", "_", "A1", "ci_bot", "_9", "x".repeat(128)}) {
      assertThat(PrincipalRef.serviceAccount("acme", ok).id()).isEqualTo(ok);
    }
    for (String bad : new String[] {"", "1a", "a-b", "a b", "a.b", "a/b", "é", "x".repeat(129), " a", "a\u0000",
      "' OR 1=1 --", "%", "a;b"}) {
      assertThatThrownBy(() -> PrincipalRef.serviceAccount("acme", bad))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("service account id");
    }
    assertThatThrownBy(() -> PrincipalRef.serviceAccount("acme", null)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void namesDescriptionsAndTags() {
    ApiKeyRef key = PrincipalRef.user("acme", "alice").apiKey("k");
    assertThatThrownBy(() -> NewApiKey.of(PrincipalRef.user("acme", "alice"), "k", "  "))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> NewToken.of(key, "t", "x".repeat(257)))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("at most 256");
    assertThatThrownBy(() -> NewToken.of(key, "t", "T").withDescription("d".repeat(1025)))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("at most 1024");
    assertThat(NewToken.of(key, "t", "T").withDescription("d".repeat(1024)).description()).hasSize(1024);
    assertThatThrownBy(() -> NewToken.of(key, "t", "bell\u0007"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("control characters");
    assertThatThrownBy(() -> NewToken.of(key, "t", "T").withDescription("broken \ud800 surrogate"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(NewToken.of(key, "t", "' OR 1=1 -- % _ ; 🔑 名前").name()).isEqualTo("' OR 1=1 -- % _ ; 🔑 名前");

    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 33; i++) {
      many.put("k" + i, "v");
    }
    assertThatThrownBy(() -> NewToken.of(key, "t", "T").withTags(many))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("at most 32");
    assertThatThrownBy(() -> NewToken.of(key, "t", "T").withTags(Map.of("", "v")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> NewToken.of(key, "t", "T").withTags(Map.of("k", "v".repeat(257))))
        .isInstanceOf(InvalidArgumentException.class);
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("k", null);
    assertThatThrownBy(() -> NewToken.of(key, "t", "T").withTags(nullValue)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void grants() {
    assertThat(NewUser.of("acme", "u", "U").withRoles(Set.of("account_admin", "a.b:c-d")).roles())
        .containsExactly("a.b:c-d", "account_admin");
    assertThatThrownBy(() -> NewUser.of("acme", "u", "U").withRoles(Set.of("has space")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> NewUser.of("acme", "u", "U").withPermissions(Set.of("")))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void scopesAndPaths() {
    assertThat(Scope.parse("acme/eng/api")).isEqualTo(Scope.project("acme", "eng", "api"));
    assertThat(Scope.parse("acme").isAccountScope()).isTrue();
    assertThatThrownBy(() -> Scope.parse("acme/eng/api/x")).isInstanceOf(InvalidArgumentException.class);
    TokenRef ref = TokenRef.parse("acme/sa/bot/k1/t1");
    assertThat(ref.owner()).isEqualTo(PrincipalRef.serviceAccount("acme", "bot"));
    assertThat(TokenRef.parse(ref.toString())).isEqualTo(ref);
    assertThatThrownBy(() -> PrincipalRef.parse("acme/admin/bob")).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void expiryResolution() {
    java.time.Instant now = java.time.Instant.parse("2030-01-01T00:00:00Z");
    Limits limits = Limits.defaults();
    assertThat(Expiration.defaultLifetime().resolve(now, null, limits))
        .isEqualTo(now.plus(java.time.Duration.ofDays(90)));
    assertThatThrownBy(() -> Expiration.at(now).resolve(now, null, limits))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("future");
    assertThatThrownBy(() -> Expiration.after(java.time.Duration.ofDays(366)).resolve(now, null, limits))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("maximum token lifetime");
    assertThatThrownBy(() -> Expiration.never().resolve(now, null, limits))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(Expiration.never().resolve(now, null, limits.withoutMaxTokenLifetime())).isNull();
  }

  @Test
  void tokenValueIsRedacted() {
    TokenValue v = TokenValue.of("acme_sat_secret");
    assertThat(v.toString()).doesNotContain("secret");
    assertThat(v.reveal()).isEqualTo("acme_sat_secret");
    assertThat(String.valueOf(new IssuedToken(sampleToken(), v))).doesNotContain("acme_sat_secret");
  }

  private static Token sampleToken() {
    return new Token(TokenRef.parse("acme/sa/bot/k/t"), "0123456789abcdef", "T", "", Map.of(),
        java.time.Instant.EPOCH, null, TokenStatus.ACTIVE, null,
        null, null, 1);
  }
}
