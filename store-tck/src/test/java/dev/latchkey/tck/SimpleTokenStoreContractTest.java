package dev.latchkey.tck;

import dev.latchkey.spi.TokenStore;
import dev.latchkey.testing.SimpleTokenStore;

/**
 * The contract on the store core's own tests run on ({@code SimpleTokenStore}, from core's test-jar).
 * Core cannot run it itself (this kit depends on core); it runs here, so that core's behaviour tests
 * stand on a store known to keep the contract, and the kit is checked against a second, deliberately
 * plain implementation besides the shipped ones.
 */
class SimpleTokenStoreContractTest extends TokenStoreContract {
  @Override
  protected TokenStore createStore() {
    return new SimpleTokenStore();
  }
}
