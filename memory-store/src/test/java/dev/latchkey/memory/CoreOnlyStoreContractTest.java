package dev.latchkey.memory;

import dev.latchkey.spi.TokenStore;
import dev.latchkey.tck.TokenStoreContract;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Set;

/**
 * The contract on a store that offers the required core only (the memory store with its optional
 * capabilities hidden), as a minimal third-party store would: the core groups pass, including the
 * end-to-end run through Latchkey, and the capability groups are skipped rather than failed.
 */
class CoreOnlyStoreContractTest extends TokenStoreContract {
  private static final Set<String> CAPABILITIES = Set.of("changeFeed", "expiringTokenQuery", "hashUsageQuery",
      "lastUsedSink");

  @Override
  protected TokenStore createStore() {
    return coreOnly(new MemoryTokenStore());
  }

  /** {@code store} with every optional capability answered "not offered". */
  static TokenStore coreOnly(TokenStore store) {
    return (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(), new Class<?>[] {TokenStore.class},
        (proxy, method, args) -> {
          if (CAPABILITIES.contains(method.getName())) {
            return Optional.empty();
          }
          try {
            return method.invoke(store, args); // toString, equals and hashCode too: a test needs no more
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
