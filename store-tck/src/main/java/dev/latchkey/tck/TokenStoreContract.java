package dev.latchkey.tck;

import dev.latchkey.spi.TokenStore;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The contract every {@link TokenStore} must meet. Extend it with one method:
 *
 * <pre>{@code
 * class MyStoreTest extends TokenStoreContract {
 *   protected TokenStore createStore() { return new MyStore(freshDatabase()); }
 * }
 * }</pre>
 *
 * Each test gets a new, empty store. The tests come in {@link Nested} groups, one per area: the
 * required core (accounts, principals, keys, tokens, the verifier's lookup, limits, concurrency,
 * pepper checks, end to end), which every store must pass, and one group per optional capability
 * (change feed, expiring tokens, hash usage, last use), whose tests are skipped, not failed, for a
 * store that does not offer it. Override {@link #storageDump} so that the end-to-end test can check
 * that nothing the store persisted contains a secret.
 */
public abstract class TokenStoreContract {

  /** For a store's one-method subclass. */
  protected TokenStoreContract() {}

  /** A new, empty store. Called before every test. */
  protected abstract TokenStore createStore();

  /**
   * Everything the store persisted, as text (for example every row of every table), so that the
   * secret-hygiene test can check that no token secret reached storage. Empty skips that part of
   * the check; the records the store returns are always checked.
   */
  protected Optional<String> storageDump(TokenStore store) {
    return Optional.empty();
  }

  /** Called after every test with the store from {@link #createStore()}; release resources here. */
  protected void releaseStore(TokenStore store) {}

  protected TokenStore store;

  @BeforeEach
  void setUpStore() {
    store = createStore();
  }

  @AfterEach
  void tearDownStore() {
    releaseStore(store);
  }

  // ---- the required core

  @Nested
  class Accounts extends AccountsContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class Principals extends PrincipalsContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class ApiKeys extends ApiKeysContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class Tokens extends TokensContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class Lookup extends LookupContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class Limits extends LimitsContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class PepperChecks extends PepperChecksContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class EndToEnd extends EndToEndContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  // ---- optional capabilities: skipped for a store that does not offer them

  @Nested
  class ChangeFeedCapability extends ChangeFeedContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class ExpiringTokensCapability extends ExpiringTokensContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class HashUsageCapability extends HashUsageContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }

  @Nested
  class LastUsedCapability extends LastUsedContract {
    @Override TokenStoreContract contract() { return TokenStoreContract.this; }
  }
}
