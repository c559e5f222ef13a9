package dev.latchkey.memory;

import dev.latchkey.HashUsage;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Token;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@link MemoryTokenStore}'s optional queries across all tokens (expiring tokens, hash usage):
 * full scans of a consistent-enough view of its token map, which is what a store for tests and
 * single processes can afford.
 */
final class MemoryTokenQueries {
  private MemoryTokenQueries() {}

  /** {@link dev.latchkey.spi.ExpiringTokenQuery#listTokensExpiringBetween} over {@code tokens}. */
  static Page<TokenRecord> expiringBetween(Collection<TokenRecord> tokens, Instant from, Instant to,
      PageRequest page) {
    Comparator<TokenRecord> order = Comparator.<TokenRecord, Instant>comparing(MemoryTokenQueries::expiry)
        .thenComparing(TokenRecord::lookupId);
    TreeMap<String, TokenRecord> sorted = new TreeMap<>();
    for (TokenRecord t : tokens) {
      Token token = t.token();
      Instant e = token.expiresAt();
      if (token.status() == TokenStatus.ACTIVE && e != null) {
        if (!e.isBefore(from) && e.isBefore(to)) {
          sorted.put(expiryCursor(t), t);
        }
      }
    }
    String after = page.after();
    NavigableMap<String, TokenRecord> rest = after != null ? sorted.tailMap(after, false) : sorted;
    List<TokenRecord> items = new ArrayList<>();
    for (TokenRecord t : rest.values()) {
      if (items.size() == page.limit()) {
        break;
      }
      items.add(t);
    }
    items.sort(order);
    boolean more = rest.size() > items.size();
    return Page.of(items, more ? expiryCursor(items.get(items.size() - 1)) : null);
  }

  /** The expiry of a token this query selected, which has one. */
  private static Instant expiry(TokenRecord t) {
    return Objects.requireNonNull(t.token().expiresAt());
  }

  /** Sorts like (expiry, lookup id): fixed-width epoch seconds and nanos, then the id. */
  private static String expiryCursor(TokenRecord t) {
    Instant e = expiry(t);
    return String.format("%020d.%09d|%s", e.getEpochSecond() + 100_000_000_000L, e.getNano(), t.lookupId());
  }

  /** {@link dev.latchkey.spi.HashUsageQuery#hashUsage} over {@code tokens}. */
  static List<HashUsage> hashUsage(Collection<TokenRecord> tokens) {
    TreeMap<String, long[]> counts = new TreeMap<>();
    Map<String, CredentialHash> samples = new TreeMap<>();
    for (TokenRecord t : tokens) {
      count(counts, samples, t.current());
      CredentialHash previous = t.previous();
      if (previous != null) {
        count(counts, samples, previous);
      }
    }
    List<HashUsage> result = new ArrayList<>();
    counts.forEach((k, v) -> result.add(new HashUsage(samples.get(k).scheme(), samples.get(k).pepperVersion(), v[0])));
    return result;
  }

  private static void count(Map<String, long[]> counts, Map<String, CredentialHash> samples, CredentialHash h) {
    String k = h.scheme() + "$" + h.pepperVersion();
    counts.computeIfAbsent(k, x -> new long[1])[0]++;
    samples.putIfAbsent(k, h);
  }
}
