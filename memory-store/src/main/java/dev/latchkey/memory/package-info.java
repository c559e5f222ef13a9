/**
 * {@link dev.latchkey.memory.MemoryTokenStore}: a thread-safe {@link dev.latchkey.spi.TokenStore}
 * in memory, with every optional capability. Everything is non-null unless marked {@link
 * org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.latchkey.memory;

import org.jspecify.annotations.NullMarked;
