/**
 * Implementation of Latchkey. Not exported by the module and carrying no compatibility promise: it
 * may change in any release. Everything here is package-private except what a documented type must
 * reach: {@link dev.latchkey.internal.Assembly} with its {@code Config} and {@link
 * dev.latchkey.internal.VerifierSettings}, which {@link dev.latchkey.Latchkey.Builder#build()}
 * constructs, and {@link dev.latchkey.internal.Durations}, which {@link dev.latchkey.Expiration}
 * uses for its messages.
 */
@NullMarked
package dev.latchkey.internal;

import org.jspecify.annotations.NullMarked;
