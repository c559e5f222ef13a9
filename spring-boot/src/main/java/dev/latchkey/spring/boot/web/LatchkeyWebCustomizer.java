package dev.latchkey.spring.boot.web;

import dev.latchkey.web.LatchkeyWeb;

/**
 * Adjusts the auto-configured {@link LatchkeyWeb.Builder} after the {@code latchkey.web.*} properties
 * and the actor resolver were applied: for settings without a property ({@code clock}, {@code
 * random}). Every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface LatchkeyWebCustomizer {
  /**
   * Adjusts the builder before the servlet is built.
   *
   * @param builder the builder the auto-configuration prepared
   */
  void customize(LatchkeyWeb.Builder builder);
}
