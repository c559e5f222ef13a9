/**
 * The {@code latchkey} command-line tool: commands, option parsing, output. Not an API: everything
 * here serves {@link dev.latchkey.cli.Main}. Everything is non-null unless marked {@link
 * org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.latchkey.cli;

import org.jspecify.annotations.NullMarked;
