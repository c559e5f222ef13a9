package dev.latchkey.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application protected by Latchkey: an API under {@code /api} for tokens, a web page
 * with form login beside it, Actuator metrics for tokens with the {@code ops} permission.
 */
@SpringBootApplication
public class ExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
