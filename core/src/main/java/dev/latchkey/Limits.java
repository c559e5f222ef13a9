package dev.latchkey;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Configurable limits. Revoked and expired tokens, and previous secrets kept for a rotation grace
 * period, do not count. Limits are enforced atomically by the store.
 *
 * @param maxApiKeysPerPrincipal default 100
 * @param maxTokensPerApiKey active, unexpired tokens per key; default 100
 * @param defaultTokenLifetime for tokens issued without an expiry when their key sets none; default 90 days
 * @param maxTokenLifetime the furthest expiry allowed, from now; default 365 days. Null allows tokens that never expire.
 * @param maxRotationGrace the longest grace period a rotation may give the old secret; default 7 days
 */
public record Limits(
    int maxApiKeysPerPrincipal,
    int maxTokensPerApiKey,
    Duration defaultTokenLifetime,
    @Nullable Duration maxTokenLifetime,
    Duration maxRotationGrace) {

  public Limits {
    if (maxApiKeysPerPrincipal < 1 || maxTokensPerApiKey < 1) {
      throw new ConfigurationException("key and token limits must be at least 1");
    }
    if (defaultTokenLifetime == null || defaultTokenLifetime.isNegative() || defaultTokenLifetime.isZero()) {
      throw new ConfigurationException("default token lifetime must be positive");
    }
    if (maxTokenLifetime != null && maxTokenLifetime.compareTo(defaultTokenLifetime) < 0) {
      throw new ConfigurationException("default token lifetime must not exceed the maximum token lifetime");
    }
    if (maxRotationGrace == null || maxRotationGrace.isNegative()) {
      throw new ConfigurationException("max rotation grace must be zero or positive");
    }
  }

  public static Limits defaults() {
    return new Limits(100, 100, Duration.ofDays(90), Duration.ofDays(365), Duration.ofDays(7));
  }

  public Limits withMaxApiKeysPerPrincipal(int n) {
    return new Limits(n, maxTokensPerApiKey, defaultTokenLifetime, maxTokenLifetime, maxRotationGrace);
  }

  public Limits withMaxTokensPerApiKey(int n) {
    return new Limits(maxApiKeysPerPrincipal, n, defaultTokenLifetime, maxTokenLifetime, maxRotationGrace);
  }

  public Limits withDefaultTokenLifetime(Duration d) {
    return new Limits(maxApiKeysPerPrincipal, maxTokensPerApiKey, d, maxTokenLifetime, maxRotationGrace);
  }

  public Limits withMaxTokenLifetime(Duration d) {
    return new Limits(maxApiKeysPerPrincipal, maxTokensPerApiKey, defaultTokenLifetime, notNull("maxTokenLifetime", d), maxRotationGrace);
  }

  public Limits withoutMaxTokenLifetime() {
    return new Limits(maxApiKeysPerPrincipal, maxTokensPerApiKey, defaultTokenLifetime, null, maxRotationGrace);
  }

  public Limits withMaxRotationGrace(Duration d) {
    return new Limits(maxApiKeysPerPrincipal, maxTokensPerApiKey, defaultTokenLifetime, maxTokenLifetime, d);
  }

  private static Duration notNull(String name, @Nullable Duration d) {
    if (d == null) {
      throw new ConfigurationException(name + " must not be null; use withoutMaxTokenLifetime() for no maximum");
    }
    return d;
  }
}
