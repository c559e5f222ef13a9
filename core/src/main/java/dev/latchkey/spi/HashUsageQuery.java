package dev.latchkey.spi;

import dev.latchkey.HashUsage;
import java.util.List;

/**
 * Optional store capability ({@link TokenStore#hashUsageQuery()}): counts of stored hashes per
 * scheme and pepper version. With it, Latchkey refuses to start when stored hashes use a pepper
 * version the keyset lacks (those tokens would silently stop verifying), and {@link
 * dev.latchkey.TokenManager#hashUsage} tells operators when an old pepper can go. Without it, that
 * start-up check is skipped with a warning and {@code hashUsage} throws {@link
 * dev.latchkey.UnsupportedByStoreException}.
 *
 * <p>A relational store groups and counts; a key-value store may keep counters updated in the same
 * atomic write as each token.
 */
@FunctionalInterface
public interface HashUsageQuery {
  /** One entry per (scheme, pepper version) in use, counting current and previous hashes. */
  List<HashUsage> hashUsage();
}
