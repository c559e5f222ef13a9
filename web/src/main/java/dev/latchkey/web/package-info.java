/**
 * The management HTTP API (JSON, RFC 9457 problems, ETags, cursor paging) and the web console, served
 * by one servlet that {@link dev.latchkey.web.LatchkeyWeb} builds; {@link dev.latchkey.web.ActorResolver}
 * and {@link dev.latchkey.web.Caller} say who is calling. Everything else in this package is
 * package-private. Everything is non-null unless marked {@link org.jspecify.annotations.Nullable
 * @Nullable}.
 */
@NullMarked
package dev.latchkey.web;

import org.jspecify.annotations.NullMarked;
