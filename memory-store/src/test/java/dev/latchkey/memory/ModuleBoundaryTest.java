package dev.latchkey.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.spi.TokenStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

/**
 * What another module sees of core, from a module that is a real client of it: these tests run on
 * the module path, inside {@code dev.latchkey.memory}. A public class of the implementation package
 * is out of reach; the SPI it implements is not.
 */
class ModuleBoundaryTest {
  private final Module memory = MemoryTokenStore.class.getModule();
  private final Module core = TokenStore.class.getModule();

  @Test
  void theImplementationOfCoreIsOutOfReachOfOtherModules() throws Exception {
    assertThat(memory.isNamed()).as("this test runs on the module path").isTrue();
    assertThat(memory.getName()).isEqualTo("dev.latchkey.memory");
    assertThat(core.getName()).isEqualTo("dev.latchkey");
    assertThat(memory.canRead(core)).isTrue();

    assertThat(core.isExported("dev.latchkey", memory)).isTrue();
    assertThat(core.isExported("dev.latchkey.spi", memory)).isTrue();
    assertThat(core.isExported("dev.latchkey.internal", memory)).isFalse();

    Class<?> assembly = Class.forName("dev.latchkey.internal.Assembly"); // public, in a package not exported
    assertThatThrownBy(() -> MethodHandles.lookup().findVirtual(assembly, "close", MethodType.methodType(void.class)))
        .isInstanceOf(IllegalAccessException.class).hasMessageContaining("not accessible");
    assertThat(MethodHandles.lookup().findVirtual(TokenStore.class, "changeFeed",
        MethodType.methodType(java.util.Optional.class))).as("the SPI is in reach").isNotNull();
  }
}
