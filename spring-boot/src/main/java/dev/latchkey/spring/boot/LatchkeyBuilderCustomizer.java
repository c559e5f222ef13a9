package dev.latchkey.spring.boot;

import dev.latchkey.Latchkey;

/**
 * Adjusts the auto-configured {@link Latchkey.Builder} after the {@code latchkey.*} properties were
 * applied: for settings that have no property (access policy, audit listener, clock, legacy-token
 * import). Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface LatchkeyBuilderCustomizer {
  void customize(Latchkey.Builder builder);
}
