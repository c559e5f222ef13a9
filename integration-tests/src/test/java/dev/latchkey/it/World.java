package dev.latchkey.it;

import dev.latchkey.Latchkey;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.TokenStore;
import java.util.function.UnaryOperator;

/**
 * The behaviour-test account of core's {@link dev.latchkey.testing.World}, over the memory store
 * unless a test passes another: the tests here run Latchkey with the stores that ship.
 */
final class World extends dev.latchkey.testing.World {
  World() {
    this(b -> b);
  }

  World(UnaryOperator<Latchkey.Builder> customize) {
    this(new MemoryTokenStore(), customize);
  }

  World(TokenStore backing, UnaryOperator<Latchkey.Builder> customize) {
    super(backing, customize);
  }
}
