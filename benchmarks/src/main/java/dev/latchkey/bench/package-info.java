/**
 * JMH benchmarks of Latchkey and of the alternatives it is compared with. Everything is non-null
 * unless marked {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.latchkey.bench;

import org.jspecify.annotations.NullMarked;
