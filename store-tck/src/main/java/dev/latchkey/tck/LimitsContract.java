package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.LimitExceededException;
import dev.latchkey.Principal;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Required core: the limits passed to the inserts. Enforced by the insert itself; only active, unexpired
 * tokens count.
 */
abstract class LimitsContract extends ContractGroup {
  @Test
  void apiKeyLimitIsEnforcedByTheInsert() {
    seedKey();
    store.insertApiKey(apiKey(sa.ref(), "k2"), 3);
    store.insertApiKey(apiKey(sa.ref(), "k3"), 3);
    assertThat(all(p -> store.listApiKeys(sa.ref(), p), 100)).hasSize(3);
    assertThatThrownBy(() -> store.insertApiKey(apiKey(sa.ref(), "k4"), 3))
        .isInstanceOf(LimitExceededException.class);
    assertThat(store.findApiKey(new ApiKeyRef(sa.ref(), "k4"))).isEmpty();
    assertThat(all(p -> store.listApiKeys(sa.ref(), p), 100)).hasSize(3);
    // another owner's keys are counted apart
    Principal other = insert(serviceAccount("acme", "bot2"));
    store.insertApiKey(apiKey(other.ref(), "k1"), 1);
    assertThatThrownBy(() -> store.insertApiKey(apiKey(other.ref(), "k2"), 1))
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void tokenLimitCountsOnlyActiveUnexpiredTokens() {
    ApiKeyRef k = seedKey();
    Instant now = T0.plus(Duration.ofDays(1));
    store.insertToken(token(k, "active1"), 3, now);
    store.insertToken(token(k, "expired", now.minusSeconds(1)), 3, T0);
    TokenRecord revoked = token(k, "revoked");
    store.insertToken(revoked, 3, now);
    assertThat(store.updateToken(1, Fixtures.withStatus(revoked, TokenStatus.REVOKED))).isTrue();
    assertThat(usableTokens(k, now)).isEqualTo(1);
    store.insertToken(token(k, "active2"), 3, now);
    store.insertToken(token(k, "active3"), 3, now);
    assertThatThrownBy(() -> store.insertToken(token(k, "active4"), 3, now))
        .isInstanceOf(LimitExceededException.class);
    assertThat(store.findToken(new TokenRef(k, "active4"))).isEmpty();
    assertThat(usableTokens(k, now)).isEqualTo(3);
    // later, all of them have expired (at T0 + 10 days) and none counts: three more fit, a fourth does not
    Instant later = now.plus(Duration.ofDays(30));
    for (int i = 1; i <= 3; i++) {
      store.insertToken(token(k, "later" + i, later.plus(Duration.ofDays(1))), 3, later);
    }
    assertThatThrownBy(() -> store.insertToken(token(k, "later4", later.plus(Duration.ofDays(1))), 3,
        later)).as("all expired later, but the three new ones count").isInstanceOf(LimitExceededException.class);
  }
}
