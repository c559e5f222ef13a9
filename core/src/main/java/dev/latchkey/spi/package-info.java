/**
 * The storage SPI. Implement the required core of {@link dev.latchkey.spi.TokenStore}, offer
 * whichever optional capabilities the store can ({@link dev.latchkey.spi.ChangeFeed}, {@link
 * dev.latchkey.spi.ExpiringTokenQuery}, {@link dev.latchkey.spi.HashUsageQuery}, {@link
 * dev.latchkey.spi.LastUsedSink}), and run the {@code latchkey-store-tck} contract tests against it:
 * the tests of a capability the store does not offer are skipped. Everything is non-null unless
 * marked {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.latchkey.spi;

import org.jspecify.annotations.NullMarked;
