package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.hash;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.HashUsage;
import dev.latchkey.spi.TokenRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link dev.latchkey.spi.HashUsageQuery}, skipped for stores without it.
 */
@ContractGroup.Requires(ContractGroup.Capability.HASH_USAGE)
abstract class HashUsageContract extends ContractGroup {
  @Test
  void hashUsageCountsCurrentAndPreviousHashesPerPepperVersion() {
    ApiKeyRef k = seedKey();
    TokenRecord a = insert(token(k, "a"));
    insert(token(k, "b"));
    store.updateToken(1, Fixtures.rotated(a, hash(2, "new"), T0.plusSeconds(60)));
    List<HashUsage> usage = store.hashUsageQuery().orElseThrow().hashUsage();
    assertThat(usage).containsExactlyInAnyOrder(new HashUsage("hmac-sha256", 1, 2), new HashUsage("hmac-sha256", 2, 1));
  }
}
