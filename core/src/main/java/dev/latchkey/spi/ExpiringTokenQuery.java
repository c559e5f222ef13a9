package dev.latchkey.spi;

import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import java.time.Instant;

/**
 * Optional store capability ({@link TokenStore#expiringTokenQuery()}): tokens by expiry across all
 * accounts, for jobs that warn owners before their tokens expire. Without it, {@link
 * dev.latchkey.TokenManager#listTokensExpiringBetween} throws {@link
 * dev.latchkey.UnsupportedByStoreException}; nothing else in Latchkey needs it.
 *
 * <p>A relational store answers it from an index on (expiry, lookup id); a key-value store from a
 * sorted set or secondary index kept in step with its token writes.
 */
@FunctionalInterface
public interface ExpiringTokenQuery {
  /**
   * Active tokens with an expiry in {@code [from, to)}, ordered by expiry then lookup id. The page
   * cursor is the store's own (opaque to callers); a cursor the store did not make is an {@link
   * dev.latchkey.InvalidArgumentException}.
   */
  Page<TokenRecord> listTokensExpiringBetween(Instant from, Instant to, PageRequest page);
}
