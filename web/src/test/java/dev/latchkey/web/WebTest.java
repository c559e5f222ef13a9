package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the HTTP tests: one real Jetty per test class, a fresh {@link World} per test, and two
 * checks after every test: every reply conformed to the OpenAPI document, and no token value
 * appeared anywhere but in the one 201 response that issued or rotated it.
 */
abstract class WebTest {
  /** Any Latchkey token value of the test prefix, wherever it might appear in a reply. */
  static final Pattern TOKEN_VALUE = Pattern.compile("lk_(?:pat|sat)_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}");

  static TestServer server;
  World world;
  Client.Log log;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void newWorld() {
    world = createWorld();
    server.use(world.servlet);
    log = new Client.Log();
  }

  World createWorld() {
    return new World();
  }

  @AfterEach
  void checkReplies() {
    try {
      assertThat(log.conformance).as("replies that do not conform to the OpenAPI document").isEmpty();
      assertTokenValuesOnlyInTheirOwn201();
    } finally {
      world.close();
    }
  }

  private void assertTokenValuesOnlyInTheirOwn201() {
    List<String> misplaced = new ArrayList<>();
    for (Reply r : log.replies) {
      boolean issuing = r.status() == 201 && r.method().equals("POST")
          && (r.path().endsWith("/tokens") || r.path().endsWith("/rotate"));
      Matcher m = TOKEN_VALUE.matcher(r.body() + " " + r.headers());
      int count = 0;
      while (m.find()) {
        count++;
      }
      if (issuing) {
        if (count != 1) {
          misplaced.add(count + " token values in " + r.method() + " " + r.path());
        } else {
          String value = r.json().get("value").asString();
          long elsewhere = log.replies.stream().filter(o -> o != r && (o.body() + o.headers()).contains(value)).count();
          if (elsewhere > 0) {
            misplaced.add("the value issued by " + r.method() + " " + r.path() + " appears in " + elsewhere + " other replies");
          }
        }
      } else if (count > 0) {
        misplaced.add("a token value in " + r.method() + " " + r.path() + " " + r.status());
      }
    }
    assertThat(misplaced).as("token values outside their one 201").isEmpty();
  }

  Client as(String who) {
    return Client.signedIn(server, log, who);
  }

  Client bearer(String token) {
    return Client.bearer(server, log, token);
  }
}
