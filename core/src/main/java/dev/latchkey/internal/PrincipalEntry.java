package dev.latchkey.internal;

import dev.latchkey.Principal;

/** What the verifier caches per principal: the stored principal, or absent. */
final class PrincipalEntry {
  final long loadedAtNanos;
  final Principal principal; // null when absent

  PrincipalEntry(long loadedAtNanos, Principal principal) {
    this.loadedAtNanos = loadedAtNanos;
    this.principal = principal;
  }

  boolean usable() {
    return principal != null && principal.enabled();
  }
}
