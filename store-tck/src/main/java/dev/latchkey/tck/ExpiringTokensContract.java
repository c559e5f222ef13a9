package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.ExpiringTokenQuery}, skipped for stores without it.
 */
abstract class ExpiringTokensContract extends ContractGroup {
  ExpiringTokensContract(TokenStoreContract contract) {
    super(contract);
  }

  private ExpiringTokenQuery expiring;

  @BeforeEach
  void requireExpiringTokenQuery() {
    assumeTrue(store.expiringTokenQuery().isPresent(), "the store offers no expiring-tokens query");
    expiring = store.expiringTokenQuery().get();
  }

  @Test
  void tokensExpiringInAWindowAreListedByExpiryThenLookupIdAcrossKeys() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    store.insertApiKey(k2, 100);
    Instant from = T0.plus(Duration.ofDays(1));
    Instant to = T0.plus(Duration.ofDays(2));
    List<TokenRecord> inWindow = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      TokenRecord t = token(i % 2 == 0 ? k : k2.ref(), "w" + i, Optional.of(from.plusSeconds(3600L * (i % 4))));
      store.insertToken(t, 100, T0);
      inWindow.add(t);
    }
    TokenRecord atFrom = token(k, "atfrom", Optional.of(from));
    store.insertToken(atFrom, 100, T0);
    inWindow.add(atFrom);
    store.insertToken(token(k, "atto", Optional.of(to)), 100, T0); // exclusive end
    store.insertToken(token(k, "before", Optional.of(from.minusNanos(1))), 100, T0);
    store.insertToken(token(k, "never", Optional.empty()), 100, T0);
    TokenRecord revoked = token(k, "revoked", Optional.of(from.plusSeconds(10)));
    store.insertToken(revoked, 100, T0);
    store.updateToken(1, Fixtures.withStatus(revoked, TokenStatus.REVOKED));

    inWindow.sort(java.util.Comparator.<TokenRecord, Instant>comparing(t -> t.token().expiresAt().orElseThrow())
        .thenComparing(TokenRecord::lookupId));
    for (int size : new int[] {1, 3, 100}) {
      assertThat(all(p -> expiring.listTokensExpiringBetween(from, to, p), size)).extracting(TokenRecord::lookupId)
          .containsExactlyElementsOf(inWindow.stream().map(TokenRecord::lookupId).toList());
    }
  }
}
