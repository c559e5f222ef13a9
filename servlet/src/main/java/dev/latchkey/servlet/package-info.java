/**
 * A Jakarta Servlet filter that authenticates requests with Latchkey tokens.
 *
 * <p>{@link dev.latchkey.servlet.LatchkeyFilter} reads the token, verifies it and exposes the
 * result; {@link dev.latchkey.servlet.LatchkeyRequest} reads it back in application code; {@link
 * dev.latchkey.servlet.LatchkeyPrincipal} is what {@code HttpServletRequest#getUserPrincipal()}
 * returns behind the filter. Everything else in this package is package-private. Everything is
 * non-null unless marked {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.latchkey.servlet;

import org.jspecify.annotations.NullMarked;
