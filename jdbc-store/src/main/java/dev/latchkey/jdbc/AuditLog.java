package dev.latchkey.jdbc;

import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.spi.AuditTrail;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Table {@code latchkey_audit_event}: the audit trail. Each event is one insert in a transaction of
 * its own (Latchkey appends after the mutation has committed). Queries filter on the narrowest
 * subject the query names (each has an index with the sequence) and read newest first, paged by
 * sequence. Under concurrent appends, sequences may commit out of order: a page already read does
 * not change, but an event committed late with a lower sequence than a reader's cursor is not on
 * that reader's later pages.
 */
final class AuditLog implements AuditTrail {
  private static final String COLUMNS = "seq, at_s, at_ns, actor, action, account_id, target, details";
  private static final String INSERT = "INSERT INTO latchkey_audit_event (at_s, at_ns, actor, action, account_id,"
      + " target, principal_path, key_path, token_path, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String DELETE_BEFORE = "DELETE FROM latchkey_audit_event"
      + " WHERE at_s < ? OR (at_s = ? AND at_ns < ?)";

  private final Jdbc jdbc;

  AuditLog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void append(AuditEvent e) {
    Args.notNull("event", e);
    jdbc.write("appendAuditEvent", c -> Jdbc.update(c, INSERT, b -> b.instant(e.at()).string(e.actor())
        .string(e.action().name()).string(e.accountId()).string(e.target()).nullableString(AuditTrail.principalPath(e))
        .nullableString(AuditTrail.apiKeyPath(e)).nullableString(AuditTrail.tokenPath(e))
        .string(Json.object(e.details()))));
  }

  @Override
  public Page<AuditEvent> query(AuditQuery q, PageRequest page) {
    Args.notNull("query", q);
    Args.notNull("page", page);
    String requested = page.after();
    Long after = requested == null ? null : cursor(requested);
    StringBuilder where = new StringBuilder();
    List<Object> values = new ArrayList<>();
    // the narrowest subject implies the wider ones (AuditQuery sets them all)
    if (q.token() != null) {
      where.append(" AND token_path = ?");
      values.add(q.token().toString());
    } else if (q.apiKey() != null) {
      where.append(" AND key_path = ?");
      values.add(q.apiKey().toString());
    } else if (q.principal() != null) {
      where.append(" AND principal_path = ?");
      values.add(q.principal().toString());
    } else if (q.accountId() != null) {
      where.append(" AND account_id = ?");
      values.add(q.accountId());
    }
    Instant since = q.since();
    if (since != null) {
      where.append(" AND (at_s > ? OR (at_s = ? AND at_ns >= ?))");
      values.add(since);
    }
    Instant until = q.until();
    if (until != null) {
      where.append(" AND (at_s < ? OR (at_s = ? AND at_ns < ?))");
      values.add(until);
    }
    if (after != null) {
      where.append(" AND seq < ?");
      values.add(after);
    }
    String sql = "SELECT " + COLUMNS + " FROM latchkey_audit_event"
        + (where.length() == 0 ? "" : " WHERE " + where.substring(" AND ".length()))
        + " ORDER BY seq DESC FETCH FIRST ? ROWS ONLY";
    List<Long> seqs = new ArrayList<>();
    Page<AuditEvent> result = jdbc.read("queryAuditEvents", c -> Jdbc.page(c, sql, b -> {
      for (Object v : values) {
        if (v instanceof String s) {
          b.string(s);
        } else if (v instanceof Instant i) {
          b.longValue(i.getEpochSecond()).longValue(i.getEpochSecond()).intValue(i.getNano());
        } else {
          b.longValue((Long) v);
        }
      }
      b.intValue(page.limit() + 1);
    }, page, rs -> {
      seqs.add(rs.getLong("seq"));
      return event(rs);
    }, e -> "?"));
    // the cursor is the sequence of the page's last event (the mapper saw the rows in order)
    return result.nextCursor() == null ? result
        : Page.of(result.items(), Long.toString(seqs.get(result.items().size() - 1)));
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    Args.notNull("cutoff", cutoff);
    return jdbc.write("pruneAuditEvents", c -> Jdbc.update(c, DELETE_BEFORE,
        b -> b.longValue(cutoff.getEpochSecond()).longValue(cutoff.getEpochSecond()).intValue(cutoff.getNano())));
  }

  private static AuditEvent event(ResultSet rs) throws SQLException {
    return new AuditEvent(Instant.ofEpochSecond(rs.getLong("at_s"), rs.getInt("at_ns")), rs.getString("actor"),
        AuditAction.valueOf(rs.getString("action")), rs.getString("account_id"), rs.getString("target"),
        Json.parseObject(rs.getString("details")));
  }

  private static long cursor(String after) {
    try {
      long seq = Long.parseLong(after);
      if (seq > 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidArgumentException("not an audit page cursor of this store");
  }
}
