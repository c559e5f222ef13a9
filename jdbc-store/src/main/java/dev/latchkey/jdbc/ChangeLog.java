package dev.latchkey.jdbc;

import dev.latchkey.InvalidArgumentException;
import dev.latchkey.PrincipalRef;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The store's change feed: tables {@code latchkey_change} (one row per change) and {@code
 * latchkey_change_counter} (one row holding the last sequence handed out). The other parts append
 * through {@link #append} as the last step of the transaction that makes the change.
 */
final class ChangeLog implements ChangeFeed {
  private static final String BUMP_COUNTER = "UPDATE latchkey_change_counter SET last_seq = last_seq + ? WHERE id = 1";
  private static final String READ_COUNTER = "SELECT last_seq FROM latchkey_change_counter WHERE id = 1";
  private static final String INSERT = "INSERT INTO latchkey_change (" + Rows.CHANGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
  private static final String SINCE = "SELECT " + Rows.CHANGE_COLUMNS + " FROM latchkey_change"
      + " WHERE seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY";
  /** 0 when the table is empty: sequences start at 1. */
  private static final String NEWEST = "SELECT COALESCE(MAX(seq), 0) FROM latchkey_change";
  private static final String FIRST_AT_OR_AFTER = "SELECT seq FROM latchkey_change"
      + " WHERE changed_s > ? OR (changed_s = ? AND changed_ns >= ?) ORDER BY seq FETCH FIRST 1 ROWS ONLY";
  private static final String DELETE_BEFORE = "DELETE FROM latchkey_change WHERE seq < ?";

  /** Most changes one {@link #changesSince} call returns. */
  static final int MAX_CHANGES_PER_READ = 10_000;

  private final Jdbc jdbc;
  private final Clock clock;

  ChangeLog(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A change to append at the end of the current transaction. */
  record Pending(Change.Type type, String subject) {
    static Pending token(String lookupId) {
      return new Pending(Change.Type.TOKEN, lookupId);
    }

    static Pending principal(PrincipalRef ref) {
      return new Pending(Change.Type.PRINCIPAL, ref.toString());
    }
  }

  /**
   * Numbers and appends changes as the transaction's last step. Incrementing the single counter row
   * takes its row lock until commit: writers that append are serialized from here on, so sequences
   * commit in order and a rollback returns its numbers. Doing it last keeps that lock short.
   */
  void append(Connection c, List<Pending> changes) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    if (Jdbc.update(c, BUMP_COUNTER, b -> b.longValue(changes.size())) != 1) {
      throw missingCounter();
    }
    long last = Jdbc.one(c, READ_COUNTER, Jdbc.Params.NONE, rs -> rs.getLong(1)).orElseThrow(ChangeLog::missingCounter);
    Instant at = clock.instant();
    long seq = last - changes.size() + 1;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Pending change : changes) {
        Rows.bind(ps).longValue(seq++).string(change.type().name()).string(change.subject()).instant(at);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public long latestSequence() {
    return jdbc.read("latestSequence",
        c -> Jdbc.one(c, READ_COUNTER, Jdbc.Params.NONE, rs -> rs.getLong(1)).orElseThrow(ChangeLog::missingCounter));
  }

  /** As specified, but returns at most {@value #MAX_CHANGES_PER_READ} changes per call; readers loop until a call returns none. */
  @Override
  public List<Change> changesSince(long after, int limit) {
    if (limit < 1) {
      throw new InvalidArgumentException("limit must be positive");
    }
    int capped = Math.min(limit, MAX_CHANGES_PER_READ);
    return jdbc.read("changesSince", c -> Jdbc.all(c, SINCE, b -> b.longValue(after).intValue(capped), Rows::change));
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    Args.notNull("cutoff", cutoff);
    return jdbc.write("pruneBefore", c -> {
      // Like the memory store: delete the run of oldest changes recorded before the cutoff, stopping
      // at the first one that is not, and never deleting the newest.
      long newest = Jdbc.one(c, NEWEST, Jdbc.Params.NONE, rs -> rs.getLong(1)).orElse(0L);
      if (newest == 0) {
        return 0;
      }
      long bound = Jdbc.one(c, FIRST_AT_OR_AFTER, b -> b.longValue(cutoff.getEpochSecond())
              .longValue(cutoff.getEpochSecond()).intValue(cutoff.getNano()), rs -> rs.getLong(1))
          .map(first -> Math.min(newest, first)).orElse(newest);
      return Jdbc.update(c, DELETE_BEFORE, b -> b.longValue(bound));
    });
  }

  private static SQLException missingCounter() {
    return new SQLException("the latchkey_change_counter row is missing; the schema was not initialized by"
        + " its scripts", "XX001");
  }
}
