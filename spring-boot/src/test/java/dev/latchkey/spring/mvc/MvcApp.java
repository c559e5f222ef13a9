package dev.latchkey.spring.mvc;

import static dev.latchkey.spring.security.LatchkeyConfigurer.latchkey;

import dev.latchkey.Verified;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A Spring MVC application protected by Latchkey, as a user would write it. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(MvcApp.Api.class)
public class MvcApp {

  /** Actuator: open, for the tests that read metrics and health over HTTP. */
  @Bean
  @Order(1)
  SecurityFilterChain management(HttpSecurity http) throws Exception {
    return http.securityMatcher("/actuator/**")
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http
        .authorizeHttpRequests(a -> a
            .requestMatchers("/public").permitAll()
            .requestMatchers("/admin/**").hasRole("admin")
            .anyRequest().authenticated())
        .with(latchkey(), Customizer.withDefaults())
        .build();
  }

  @RestController
  static class Api {
    @GetMapping("/public")
    String open() {
      return "open";
    }

    @GetMapping("/whoami")
    String whoami(@AuthenticationPrincipal Verified who) {
      return who.principal().toString();
    }

    @PreAuthorize("hasAuthority('deploy')")
    @PostMapping("/deploy")
    String deploy(@AuthenticationPrincipal Verified who, @RequestBody String what) {
      return "deploying " + what + " as " + who.principal();
    }

    @GetMapping("/admin/stats")
    String admin() {
      return "admin";
    }
  }
}
