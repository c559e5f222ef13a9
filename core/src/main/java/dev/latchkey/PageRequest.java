package dev.latchkey;

import java.util.Optional;

/**
 * A request for one page of a listing, ordered by identifier. {@code after} is the opaque cursor
 * from the previous {@link Page#nextCursor()}; empty for the first page. Stores paginate by key
 * (never by offset), so a page costs the same however deep it is.
 */
public record PageRequest(Optional<String> after, int limit) {
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public PageRequest {
    if (after == null) {
      throw new InvalidArgumentException("after must not be null; use Optional.empty()");
    }
    if (after.isPresent() && (after.get().isEmpty() || after.get().length() > 512)) {
      throw new InvalidArgumentException("page cursor must be 1 to 512 characters");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidArgumentException("page limit must be 1 to " + MAX_LIMIT + " (was " + limit + ")");
    }
  }

  public static PageRequest first() {
    return new PageRequest(Optional.empty(), DEFAULT_LIMIT);
  }

  public static PageRequest first(int limit) {
    return new PageRequest(Optional.empty(), limit);
  }

  public static PageRequest after(String cursor, int limit) {
    return new PageRequest(Optional.of(cursor), limit);
  }
}
