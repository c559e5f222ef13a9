package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The module exports the API and the SPI and nothing else. These tests run on the module path (core
 * has a module descriptor, so Surefire patches them into the module); the first assertion makes sure
 * of it, so that the rest cannot pass on the class path, where nothing is encapsulated.
 */
class ModuleBoundaryTest {
  private final Module core = Latchkey.class.getModule();

  @Test
  void onlyTheApiAndTheSpiAreExported() {
    assertThat(core.isNamed()).as("core runs as a named module").isTrue();
    assertThat(core.getName()).isEqualTo("dev.latchkey");
    assertThat(core.getPackages()).as("the implementation is in the module").contains("dev.latchkey.internal");

    assertThat(core.getDescriptor().exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.latchkey", "dev.latchkey.spi");
    assertThat(core.getDescriptor().exports()).as("no qualified exports").noneMatch(ModuleDescriptor.Exports::isQualified);
    assertThat(core.getDescriptor().opens()).as("nothing open to reflection").isEmpty();

    assertThat(core.isExported("dev.latchkey")).isTrue();
    assertThat(core.isExported("dev.latchkey.spi")).isTrue();
    assertThat(core.isExported("dev.latchkey.internal")).isFalse();
  }

  @Test
  void bouncyCastleAndJSpecifyAreOptional() {
    assertThat(core.getDescriptor().requires())
        .filteredOn(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
        .extracting(ModuleDescriptor.Requires::name)
        .containsExactlyInAnyOrder("org.bouncycastle.provider", "org.jspecify");
  }
}
