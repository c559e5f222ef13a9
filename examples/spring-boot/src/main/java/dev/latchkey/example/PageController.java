package dev.latchkey.example;

import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A page for people, behind form login (the web chain). */
@RestController
class PageController {
  @GetMapping("/")
  String home(Principal user) {
    return "Signed in as " + user.getName() + " with a session; the API takes Latchkey tokens.\n";
  }
}
