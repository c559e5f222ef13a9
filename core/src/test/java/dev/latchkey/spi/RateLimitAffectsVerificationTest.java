package dev.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKey;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RateLimit;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A rate limit is something a verifier reads: on a token, and on its key. */
class RateLimitAffectsVerificationTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final PrincipalRef OWNER = PrincipalRef.serviceAccount("acme", "bot");
  private static final CredentialHash H = new CredentialHash(CredentialHash.HMAC_SHA256, 1,
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

  private static TokenRecord token(@Nullable RateLimit limit, String name) {
    return new TokenRecord(new Token(new TokenRef(OWNER.apiKey("k"), "t"), "aBcDeFgHiJkLmNoP", name, "", Map.of(), T0,
        null, TokenStatus.ACTIVE, null, null, null, 1, limit), H, null);
  }

  private static ApiKey key(@Nullable RateLimit limit, String name) {
    return new ApiKey(OWNER.apiKey("k"), name, "", Map.of(), Scope.account("acme"), null, T0, 1, limit);
  }

  @Test
  void aTokensOrAKeysRateLimitCountsItsNameDoesNot() {
    RateLimit a = RateLimit.of(10, Duration.ofSeconds(1));
    RateLimit b = a.withBurst(20);
    assertThat(ChangeFeed.affectsVerification(token(null, "x"), token(a, "x"))).as("set").isTrue();
    assertThat(ChangeFeed.affectsVerification(token(a, "x"), token(b, "x"))).as("burst").isTrue();
    assertThat(ChangeFeed.affectsVerification(token(a, "x"), token(null, "x"))).as("removed").isTrue();
    assertThat(ChangeFeed.affectsVerification(token(a, "x"), token(RateLimit.parse("10/1s"), "y"))).isFalse();
    assertThat(ChangeFeed.affectsVerification(key(null, "x"), key(a, "x"))).isTrue();
    assertThat(ChangeFeed.affectsVerification(key(a, "x"), key(null, "x"))).isTrue();
    assertThat(ChangeFeed.affectsVerification(key(a, "x"), key(RateLimit.parse("10/1s"), "renamed"))).isFalse();
    // the key's limit read along with a token is not part of the token's stored state
    assertThat(ChangeFeed.affectsVerification(token(a, "x"), token(a, "x").withKeyRateLimit(b))).isFalse();
  }
}
