/**
 * Latchkey's public API: build a {@link dev.latchkey.Latchkey}, manage principals, keys and tokens
 * through its {@link dev.latchkey.TokenManager}, verify tokens with its {@link
 * dev.latchkey.TokenVerifier}. Everything is non-null unless marked {@link
 * org.jspecify.annotations.Nullable @Nullable}; a nullable record component is documented in its
 * {@code @param} (for edits, null leaves a field as it is).
 */
@NullMarked
package dev.latchkey;

import org.jspecify.annotations.NullMarked;
