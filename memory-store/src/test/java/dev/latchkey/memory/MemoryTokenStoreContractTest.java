package dev.latchkey.memory;

import dev.latchkey.spi.TokenStore;
import dev.latchkey.tck.TokenStoreContract;

class MemoryTokenStoreContractTest extends TokenStoreContract {
  @Override
  protected TokenStore createStore() {
    return new MemoryTokenStore();
  }
}
