package dev.latchkey.spring.boot.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * Adds to the auto-configured {@code latchkeyWebSecurityFilterChain} (the chain for the mount path)
 * before it is built, for example a way to sign in there: {@code http -> http.httpBasic(withDefaults())}
 * or the application's form login. Every bean of this type is applied, in {@code @Order}. To replace
 * the chain altogether, define a {@code SecurityFilterChain} bean named {@code
 * latchkeyWebSecurityFilterChain}.
 */
@FunctionalInterface
public interface LatchkeyWebSecurityCustomizer {
  /**
   * Adjusts the management path's security chain before it is built.
   *
   * @param http the chain's configuration, already limited to the mount path
   * @throws Exception whatever Spring Security's configuration methods throw
   */
  void customize(HttpSecurity http) throws Exception;
}
