package dev.latchkey.example;

import dev.latchkey.Verified;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ApiController {

  @GetMapping("/api/hello")
  String hello(@AuthenticationPrincipal Verified caller) {
    return "hello, " + caller.principal() + "\n";
  }

  @PreAuthorize("hasAuthority('deploy')")
  @PostMapping("/api/deploy")
  String deploy(@AuthenticationPrincipal Verified caller, @RequestBody String version) {
    return caller.principal() + " deploys " + version.strip() + "\n";
  }
}
