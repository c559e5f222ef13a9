package dev.latchkey.internal;

import dev.latchkey.Principal;

/** What the verifier caches per principal: the stored principal, or absent. */
final class PrincipalEntry {
  final long loadedAtMillis;
  final long generation;
  final long cacheUntilMillis;
  final Principal principal; // null when absent
  /** Set when this entry leaves the cache, so token entries that link to it stop trusting it. */
  volatile boolean invalidated;

  PrincipalEntry(long loadedAtMillis, long generation, long lifetimeMillis, Principal principal) {
    this.loadedAtMillis = loadedAtMillis;
    this.generation = generation;
    this.cacheUntilMillis = loadedAtMillis + lifetimeMillis;
    this.principal = principal;
  }

  boolean usable() {
    return principal != null && principal.enabled();
  }
}
