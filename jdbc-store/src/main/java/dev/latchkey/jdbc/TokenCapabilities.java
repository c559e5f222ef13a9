package dev.latchkey.jdbc;

import dev.latchkey.HashUsage;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.LastUse;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.TokenRecord;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The optional capabilities over table {@code latchkey_token}: expiring tokens, hash usage, last use. */
final class TokenCapabilities implements ExpiringTokenQuery, HashUsageQuery, LastUsedSink {
  /** Row-value comparisons follow the (expires_s, expires_ns, lookup_id) index. */
  private static final String EXPIRING = "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token"
      + " WHERE (expires_s, expires_ns) >= (?, ?) AND (expires_s, expires_ns) < (?, ?) AND status = ?"
      + " ORDER BY expires_s, expires_ns, lookup_id FETCH FIRST ? ROWS ONLY";
  private static final String EXPIRING_AFTER = "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token"
      + " WHERE (expires_s, expires_ns) >= (?, ?) AND (expires_s, expires_ns) < (?, ?) AND status = ?"
      + " AND (expires_s, expires_ns, lookup_id) > (?, ?, ?)"
      + " ORDER BY expires_s, expires_ns, lookup_id FETCH FIRST ? ROWS ONLY";
  private static final String HASH_USAGE = "SELECT hash_scheme, hash_pepper, COUNT(*) FROM latchkey_token"
      + " GROUP BY hash_scheme, hash_pepper"
      + " UNION ALL SELECT previous_hash_scheme, previous_hash_pepper, COUNT(*) FROM latchkey_token"
      + " WHERE previous_hash_scheme IS NOT NULL GROUP BY previous_hash_scheme, previous_hash_pepper";
  /** Only moves forward, the address with its time; no version bump, no change-feed entry. */
  private static final String RECORD_LAST_USED = "UPDATE latchkey_token SET last_used_s = ?, last_used_ns = ?,"
      + " last_used_address = ?"
      + " WHERE lookup_id = ? AND (last_used_s IS NULL OR last_used_s < ? OR (last_used_s = ? AND last_used_ns < ?))";

  private final Jdbc jdbc;

  TokenCapabilities(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Page<TokenRecord> listTokensExpiringBetween(Instant from, Instant to, PageRequest page) {
    Args.notNull("from", from);
    Args.notNull("to", to);
    Args.notNull("page", page);
    String requested = page.after();
    ExpiryCursor after = requested == null ? null : ExpiryCursor.parse(requested);
    Jdbc.Params params = b -> {
      b.instant(from).instant(to).string(TokenStatus.ACTIVE.name());
      if (after != null) {
        b.longValue(after.seconds()).intValue(after.nanos()).string(after.lookupId());
      }
      b.intValue(page.limit() + 1);
    };
    return jdbc.read("listTokensExpiringBetween", c -> Jdbc.page(c, after != null ? EXPIRING_AFTER : EXPIRING,
        params, page, Rows::token, ExpiryCursor::of));
  }

  /** Keyset position in the expiry listing: (expiry seconds, nanos, lookup id), written {@code s:n:id}. */
  private record ExpiryCursor(long seconds, int nanos, String lookupId) {
    static String of(TokenRecord r) {
      Instant e = Objects.requireNonNull(r.token().expiresAt()); // only tokens with an expiry are listed
      return e.getEpochSecond() + ":" + e.getNano() + ":" + r.lookupId();
    }

    static ExpiryCursor parse(String cursor) {
      String[] parts = cursor.split(":", 3);
      try {
        if (parts.length == 3) {
          int nanos = Integer.parseInt(parts[1]);
          if (nanos >= 0 && nanos < 1_000_000_000 && Args.isLookupId(parts[2])) {
            return new ExpiryCursor(Long.parseLong(parts[0]), nanos, parts[2]);
          }
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new InvalidArgumentException("not a cursor of the expiring-tokens listing");
    }
  }

  @Override
  public List<HashUsage> hashUsage() {
    return jdbc.read("hashUsage", c -> {
      TreeMap<String, HashUsage> usage = new TreeMap<>();
      for (HashUsage u : Jdbc.all(c, HASH_USAGE, Jdbc.Params.NONE,
          rs -> new HashUsage(rs.getString(1), rs.getInt(2), rs.getLong(3)))) {
        usage.merge(u.scheme() + "$" + u.pepperVersion(), u,
            (a, b) -> new HashUsage(a.scheme(), a.pepperVersion(), a.count() + b.count()));
      }
      return List.copyOf(usage.values());
    });
  }

  @Override
  public void recordLastUsed(Map<String, Instant> lastUsedByLookupId) {
    Args.notNull("last-used times", lastUsedByLookupId);
    TreeMap<String, LastUse> uses = new TreeMap<>();
    for (Map.Entry<String, Instant> e : lastUsedByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last-used times must not contain null lookup ids or instants");
      }
      uses.put(e.getKey(), new LastUse(e.getValue(), null));
    }
    recordLastUses(uses);
  }

  @Override
  public void recordLastUses(Map<String, LastUse> lastUsesByLookupId) {
    Args.notNull("last uses", lastUsesByLookupId);
    // Sorted, so that concurrent batches lock rows in the same order.
    TreeMap<String, LastUse> sorted = new TreeMap<>();
    for (Map.Entry<String, LastUse> e : lastUsesByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last uses must not contain null lookup ids or uses");
      }
      if (Args.isLookupId(e.getKey())) {
        sorted.put(e.getKey(), e.getValue());
      }
    }
    if (sorted.isEmpty()) {
      return;
    }
    jdbc.write("recordLastUsed", c -> {
      try (PreparedStatement ps = c.prepareStatement(RECORD_LAST_USED)) {
        for (Map.Entry<String, LastUse> e : sorted.entrySet()) {
          Instant t = e.getValue().at();
          Rows.bind(ps).instant(t).nullableString(Tokens.addressText(e.getValue().from())).string(e.getKey())
              .longValue(t.getEpochSecond()).longValue(t.getEpochSecond()).intValue(t.getNano());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }
}
