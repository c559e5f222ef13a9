package dev.latchkey.spring;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A test class that implements this gets {@code latchkey.peppers} set to this JVM's {@link
 * Tokens#PEPPERS} (Spring's test context finds {@code @DynamicPropertySource} methods on the test
 * class's interfaces too).
 */
public interface TestPeppers {
  @DynamicPropertySource
  static void latchkeyPeppers(DynamicPropertyRegistry registry) {
    registry.add("latchkey.peppers", () -> Tokens.PEPPERS);
  }
}
