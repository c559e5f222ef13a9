package dev.latchkey;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a listing; {@code nextCursor} is present when more items may follow. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
    if (nextCursor == null) {
      throw new InvalidArgumentException("nextCursor must not be null");
    }
  }

  public static <T> Page<T> of(List<T> items, Optional<String> nextCursor) {
    return new Page<>(items, nextCursor);
  }

  /** The request for the page after this one, if there is one. */
  public Optional<PageRequest> next(int limit) {
    return nextCursor.map(c -> PageRequest.after(c, limit));
  }

  public <R> Page<R> map(Function<? super T, ? extends R> f) {
    return new Page<>(items.stream().<R>map(f).toList(), nextCursor);
  }
}
