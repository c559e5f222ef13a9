/**
 * The store contract kit. To test a {@link dev.latchkey.spi.TokenStore}, extend {@link
 * dev.latchkey.tck.TokenStoreContract} in your test sources and return a fresh, empty store from
 * {@code createStore()}; JUnit 5 runs every contract test against it.
 */
package dev.latchkey.tck;
