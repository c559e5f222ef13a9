package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * A request for one page of a listing, ordered by identifier. Stores paginate by key (never by
 * offset), so a page costs the same however deep it is.
 *
 * @param after the opaque cursor from the previous {@link Page#nextCursor()}; null for the first page
 */
public record PageRequest(@Nullable String after, int limit) {
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public PageRequest {
    if (after != null && (after.isEmpty() || after.length() > 512)) {
      throw new InvalidArgumentException("page cursor must be 1 to 512 characters");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidArgumentException("page limit must be 1 to " + MAX_LIMIT + " (was " + limit + ")");
    }
  }

  public static PageRequest first() {
    return new PageRequest(null, DEFAULT_LIMIT);
  }

  public static PageRequest first(int limit) {
    return new PageRequest(null, limit);
  }

  public static PageRequest after(String cursor, int limit) {
    if (cursor == null) {
      throw new InvalidArgumentException("page cursor is required; use first() for the first page");
    }
    return new PageRequest(cursor, limit);
  }
}
