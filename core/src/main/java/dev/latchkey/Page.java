package dev.latchkey;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * @param nextCursor the cursor of the next page when more items may follow; null on the last page
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  public static <T> Page<T> of(List<T> items, @Nullable String nextCursor) {
    return new Page<>(items, nextCursor);
  }

  /** The request for the page after this one, if there is one. */
  public Optional<PageRequest> next(int limit) {
    return nextCursor == null ? Optional.empty() : Optional.of(PageRequest.after(nextCursor, limit));
  }

  public <R> Page<R> map(Function<? super T, ? extends R> f) {
    return new Page<>(items.stream().<R>map(f).toList(), nextCursor);
  }
}
