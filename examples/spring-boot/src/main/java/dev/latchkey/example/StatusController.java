package dev.latchkey.example;

import dev.latchkey.Verified;
import java.time.Instant;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's own JSON, written by Spring MVC with the application's Jackson (Jackson 3 in
 * Spring Boot 4). Latchkey's management API beside it writes its JSON itself and brings no Jackson.
 */
@RestController
class StatusController {
  record Status(String caller, List<String> permissions, Instant time) {}

  @GetMapping("/api/status")
  Status status(@AuthenticationPrincipal Verified caller) {
    return new Status(caller.principal().toString(), caller.permissions().stream().sorted().toList(), Instant.now());
  }
}
