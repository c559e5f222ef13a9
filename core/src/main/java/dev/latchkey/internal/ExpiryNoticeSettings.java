package dev.latchkey.internal;

import dev.latchkey.ExpiryListener;
import java.time.Duration;
import java.util.List;

/**
 * The expiry-notice job's settings, validated by {@link dev.latchkey.Latchkey.Builder}.
 *
 * @param thresholds distinct, positive, in any order
 * @param interval how often each node runs the job
 */
public record ExpiryNoticeSettings(ExpiryListener listener, List<Duration> thresholds, Duration interval) {
  public ExpiryNoticeSettings {
    thresholds = List.copyOf(thresholds);
  }
}
