/**
 * The store contract kit: extend {@code dev.latchkey.tck.TokenStoreContract} in a store's tests.
 * The package is open because JUnit reflects into the contract classes to run their tests.
 */
open module dev.latchkey.tck {
  exports dev.latchkey.tck;

  requires transitive dev.latchkey;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
