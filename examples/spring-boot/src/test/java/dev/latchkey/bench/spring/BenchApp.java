package dev.latchkey.bench.spring;

import static dev.latchkey.spring.security.LatchkeyConfigurer.latchkey;
import static org.springframework.security.config.Customizer.withDefaults;

import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One Spring MVC endpoint behind three chains of one application: (a) {@code /open} without
 * authentication, (b) {@code /latchkey} with Latchkey, (c) {@code /jwt} with Spring Security's
 * OAuth2 resource server validating an HS256 JWT (nimbus). All three chains are stateless and run
 * Spring Security's standard filters; they differ only in how the request is authenticated.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(BenchApp.Endpoint.class)
public class BenchApp {
  /** The JWT signing key, made per JVM; the driver signs with it. */
  static final byte[] JWT_KEY = new byte[32];

  static {
    new SecureRandom().nextBytes(JWT_KEY);
  }

  @Bean
  @Order(1)
  SecurityFilterChain open(HttpSecurity http) throws Exception {
    return http.securityMatcher("/open")
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain withLatchkey(HttpSecurity http) throws Exception {
    return http.securityMatcher("/latchkey")
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .with(latchkey(), withDefaults())
        .build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain withJwt(HttpSecurity http, JwtDecoder decoder) throws Exception {
    return http.securityMatcher("/jwt")
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder)))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .build();
  }

  @Bean
  JwtDecoder jwtDecoder() {
    return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(JWT_KEY, "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256).build();
  }

  @RestController
  static class Endpoint {
    @GetMapping({"/open", "/latchkey", "/jwt"})
    String hello() {
      return "ok";
    }
  }
}
