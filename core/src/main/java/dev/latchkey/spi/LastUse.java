package dev.latchkey.spi;

import dev.latchkey.IpAddress;
import dev.latchkey.InvalidArgumentException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One noted use of a token, as handed to a {@link LastUsedSink}: when, and from which client
 * address if the verification was given one.
 *
 * @param at when the token verified
 * @param from the client address of that verification; null when it came without one
 */
public record LastUse(Instant at, @Nullable IpAddress from) {
  public LastUse {
    if (at == null) {
      throw new InvalidArgumentException("a last use needs an instant");
    }
  }
}
