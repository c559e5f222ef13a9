/**
 * Implementation of Latchkey. Classes here are public only so that other Latchkey packages can
 * reach them; they carry no compatibility promise and may change in any release.
 */
package dev.latchkey.internal;
