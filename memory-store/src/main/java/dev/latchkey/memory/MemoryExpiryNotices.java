package dev.latchkey.memory;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.spi.ExpiryNoticeLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The memory store's record of sent expiry notices: a concurrent set, claimed by put-if-absent. */
final class MemoryExpiryNotices implements ExpiryNoticeLog {
  private record Notice(String lookupId, Instant expiresAt, Duration threshold) {}

  private final ConcurrentHashMap<Notice, Instant> sent = new ConcurrentHashMap<>();

  @Override
  public boolean claim(String lookupId, Instant expiresAt, Duration threshold, Instant at) {
    if (lookupId == null || expiresAt == null || threshold == null || at == null) {
      throw new InvalidArgumentException("lookupId, expiresAt, threshold and at are required");
    }
    return sent.putIfAbsent(new Notice(lookupId, expiresAt, threshold), at) == null;
  }

  @Override
  public Set<Duration> claimed(String lookupId, Instant expiresAt) {
    return sent.keySet().stream().filter(n -> n.lookupId().equals(lookupId) && n.expiresAt().equals(expiresAt))
        .map(Notice::threshold).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    if (cutoff == null) {
      throw new InvalidArgumentException("cutoff is required");
    }
    int before = sent.size();
    sent.keySet().removeIf(n -> n.expiresAt().isBefore(cutoff));
    return Math.max(0, before - sent.size());
  }
}
