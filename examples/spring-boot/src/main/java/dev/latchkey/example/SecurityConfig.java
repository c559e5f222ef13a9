package dev.latchkey.example;

import static dev.latchkey.spring.security.LatchkeyConfigurer.latchkey;
import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** Two chains: Latchkey tokens for the API and Actuator, form login for the pages. */
@Configuration
@EnableMethodSecurity
class SecurityConfig {

  /** Machines: Latchkey tokens, stateless. */
  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http
        .securityMatcher("/api/**", "/actuator/**")
        .authorizeHttpRequests(a -> a
            .requestMatchers("/actuator/health").permitAll()
            .requestMatchers("/actuator/**").hasAuthority("ops")
            .anyRequest().authenticated())
        .with(latchkey(), withDefaults())
        .build();
  }

  /** People: form login with a session, as before. */
  @Bean
  @Order(2)
  SecurityFilterChain web(HttpSecurity http) throws Exception {
    return http
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .formLogin(withDefaults())
        .build();
  }
}
