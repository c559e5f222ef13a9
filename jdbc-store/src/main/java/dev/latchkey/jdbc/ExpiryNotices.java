package dev.latchkey.jdbc;

import dev.latchkey.ConflictException;
import dev.latchkey.spi.ExpiryNoticeLog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Table {@code latchkey_expiry_notice}: one row per expiry notice sent. A claim is an insert under
 * the table's primary key: on PostgreSQL with {@code ON CONFLICT DO NOTHING} (one row inserted or
 * none; a concurrent insert of the same key waits for the first to commit), on H2 a plain insert
 * whose unique-key violation means "already claimed".
 */
final class ExpiryNotices implements ExpiryNoticeLog {
  private static final String INSERT = "INSERT INTO latchkey_expiry_notice (lookup_id, expires_s, expires_ns,"
      + " threshold_s, threshold_ns, sent_s, sent_ns) VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String CLAIMED = "SELECT threshold_s, threshold_ns FROM latchkey_expiry_notice"
      + " WHERE lookup_id = ? AND expires_s = ? AND expires_ns = ?";
  private static final String DELETE_BEFORE = "DELETE FROM latchkey_expiry_notice"
      + " WHERE expires_s < ? OR (expires_s = ? AND expires_ns < ?)";

  private final Jdbc jdbc;
  private final Dialect dialect;

  ExpiryNotices(Jdbc jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.dialect = dialect;
  }

  @Override
  public boolean claim(String lookupId, Instant expiresAt, Duration threshold, Instant at) {
    Args.notNull("lookupId", lookupId);
    Args.notNull("expiresAt", expiresAt);
    Args.notNull("threshold", threshold);
    Args.notNull("at", at);
    Jdbc.Params params = b -> b.string(lookupId).instant(expiresAt).longValue(threshold.getSeconds())
        .intValue(threshold.getNano()).instant(at);
    if (dialect == Dialect.POSTGRESQL) {
      return jdbc.write("claimExpiryNotice", c -> Jdbc.update(c, INSERT + " ON CONFLICT DO NOTHING", params) == 1);
    }
    try {
      return jdbc.write("claimExpiryNotice", c -> {
        Jdbc.insert(c, INSERT, params, () -> new ConflictException("expiry notice already claimed"));
        return true;
      });
    } catch (ConflictException e) {
      return false;
    }
  }

  @Override
  public Set<Duration> claimed(String lookupId, Instant expiresAt) {
    Args.notNull("lookupId", lookupId);
    Args.notNull("expiresAt", expiresAt);
    return Set.copyOf(jdbc.read("claimedExpiryNotices", c -> new HashSet<>(Jdbc.all(c, CLAIMED,
        b -> b.string(lookupId).instant(expiresAt),
        rs -> Duration.ofSeconds(rs.getLong("threshold_s"), rs.getInt("threshold_ns"))))));
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    Args.notNull("cutoff", cutoff);
    return jdbc.write("pruneExpiryNotices", c -> Jdbc.update(c, DELETE_BEFORE,
        b -> b.longValue(cutoff.getEpochSecond()).longValue(cutoff.getEpochSecond()).intValue(cutoff.getNano())));
  }
}
