package dev.latchkey.memory;

import dev.latchkey.spi.TokenStore;
import dev.latchkey.tck.TokenStoreContract;
import dev.latchkey.testing.ForwardingTokenStore;

/**
 * The contract on a store that offers the required core only (the memory store with its optional
 * capabilities hidden), as a minimal third-party store would: the core groups pass, including the
 * end-to-end run through Latchkey, and the capability groups are skipped rather than failed.
 */
class CoreOnlyStoreContractTest extends TokenStoreContract {

  @Override
  protected TokenStore createStore() {
    return ForwardingTokenStore.coreOnly(new MemoryTokenStore());
  }
}
