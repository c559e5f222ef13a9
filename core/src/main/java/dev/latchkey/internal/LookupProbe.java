package dev.latchkey.internal;

import dev.latchkey.TokenFormat;

/**
 * A reusable, per-thread stand-in for a lookup-id {@link String}, so that a cache hit allocates
 * nothing. It hashes exactly like the equal String and {@link #equals} accepts an equal String;
 * {@code ConcurrentHashMap.get} (under Caffeine's strong keys) calls {@code probe.equals(stored)},
 * so the probe finds the entry stored under the real String. It is only ever used for lookups,
 * never stored, and never escapes the verifying thread.
 */
final class LookupProbe {
  private byte[] buf;
  private int off;
  private int hash;

  /** Points the probe at {@code buf[off, off + 16)}, which holds ASCII base62 characters. */
  LookupProbe set(byte[] buf, int off) {
    this.buf = buf;
    this.off = off;
    int h = 0;
    for (int i = 0; i < TokenFormat.ID_LENGTH; i++) {
      h = 31 * h + buf[off + i];
    }
    this.hash = h;
    return this;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof String s) || s.length() != TokenFormat.ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < TokenFormat.ID_LENGTH; i++) {
      if (s.charAt(i) != buf[off + i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return new String(buf, off, TokenFormat.ID_LENGTH, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
