/**
 * The store contract kit. To test a {@link dev.latchkey.spi.TokenStore}, extend {@link
 * dev.latchkey.tck.TokenStoreContract} in your test sources and return a fresh, empty store from
 * {@code createStore()}; JUnit 5 runs every contract test against it, in nested groups per area,
 * skipping the groups of optional capabilities the store does not offer. {@link
 * dev.latchkey.tck.Race} and {@link dev.latchkey.tck.Fixtures} are for a store's own tests too.
 */
@NullMarked
package dev.latchkey.tck;

import org.jspecify.annotations.NullMarked;
