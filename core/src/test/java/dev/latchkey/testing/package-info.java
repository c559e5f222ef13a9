/**
 * Test fixtures that need Latchkey's SPI: {@link dev.latchkey.testing.ForwardingTokenStore} (the one
 * forwarding base for test stores), {@link dev.latchkey.testing.CountingStore}, {@link
 * dev.latchkey.testing.SimpleTokenStore} (the store core's own tests run on) and {@link
 * dev.latchkey.testing.World} (a small account for behaviour tests). They live in core's test
 * sources, so that core's build tests them, and reach other modules through core's test-jar
 * ({@code <type>test-jar</type>}, test scope). Fixtures that need nothing of Latchkey are in
 * {@code latchkey-test-support}. For Latchkey's own tests only: no compatibility promise.
 */
package dev.latchkey.testing;
