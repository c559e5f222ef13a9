/**
 * The storage SPI. Implement {@link dev.latchkey.spi.TokenStore} (and optionally {@link
 * dev.latchkey.spi.ChangeFeed}) and run the {@code latchkey-store-tck} contract tests against it.
 */
package dev.latchkey.spi;
