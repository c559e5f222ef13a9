package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.ExpiringTokenQuery}, skipped for stores without it.
 */
@ContractGroup.Requires(ContractGroup.Capability.EXPIRING_TOKENS)
abstract class ExpiringTokensContract extends ContractGroup {
  @Test
  void tokensExpiringInAWindowAreListedByExpiryThenLookupIdAcrossKeys() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = insert(apiKey(sa.ref(), "k2"));
    Instant from = T0.plus(Duration.ofDays(1));
    Instant to = T0.plus(Duration.ofDays(2));
    List<TokenRecord> inWindow = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      TokenRecord t = insert(token(i % 2 == 0 ? k : k2.ref(), "w" + i, from.plusSeconds(3600L * (i % 4))));
      inWindow.add(t);
    }
    TokenRecord atFrom = insert(token(k, "atfrom", from));
    inWindow.add(atFrom);
    insert(token(k, "atto", to)); // exclusive end
    insert(token(k, "before", from.minusNanos(1)));
    insert(token(k, "never", (Instant) null));
    TokenRecord revoked = insert(token(k, "revoked", from.plusSeconds(10)));
    store.updateToken(1, Fixtures.withStatus(revoked, TokenStatus.REVOKED));

    inWindow.sort(java.util.Comparator.<TokenRecord, Instant>comparing(t -> java.util.Objects.requireNonNull(t.token().expiresAt()))
        .thenComparing(TokenRecord::lookupId));
    for (int size : new int[] {1, 3, 100}) {
      assertThat(all(p -> store.expiringTokenQuery().orElseThrow().listTokensExpiringBetween(from, to, p), size)).extracting(TokenRecord::lookupId)
          .containsExactlyElementsOf(inWindow.stream().map(TokenRecord::lookupId).toList());
    }
  }
}
