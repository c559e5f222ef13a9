package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Response headers (nosniff, Referrer-Policy, no-store on the API, a strict CSP on console pages),
 * the 401 for callers the resolver does not know, the mount-point redirects, and a static check of
 * the console's files: no inline script or style, no way of writing HTML or storage from script.
 */
class HeadersTest extends WebTest {

  @Test
  void apiResponsesAreNeverCachedOrSniffed() {
    Client alice = as(World.ALICE);
    for (Reply r : List.of(alice.get("session"), alice.get("accounts/acme/nope"),
        alice.post("accounts/acme/users/alice/api-keys", Map.of("id", "k", "name", "K")))) {
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
      assertThat(r.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    }
  }

  @Test
  void consolePagesHaveAStrictContentSecurityPolicy() {
    Client alice = as(World.ALICE);
    for (String page : List.of("my-api-keys.html", "service-accounts.html", "service-account.html")) {
      Reply r = alice.page("/" + page);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type").replace(" ", "")).isEqualToIgnoringCase("text/html;charset=utf-8");
      assertThat(r.header("Content-Security-Policy")).isEqualTo(Console.CONTENT_SECURITY_POLICY)
          .contains("script-src 'self'").contains("style-src 'self'").doesNotContain("unsafe");
      assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
    Reply script = alice.page("/js/keys.js");
    assertThat(script.header("Content-Type").replace(" ", "")).isEqualToIgnoringCase("text/javascript;charset=utf-8");
    assertThat(alice.page("/js/keys.js", "If-None-Match", script.etag()).status()).isEqualTo(304);
    assertThat(alice.page("/js/nope.js").status()).isEqualTo(404);
    assertThat(alice.page("/../WEB-INF/web.xml").status()).isIn(400, 404);
  }

  @Test
  void theMountPointRedirectsToMyApiKeys() {
    Client alice = as(World.ALICE);
    Reply bare = alice.page("");
    assertThat(bare.status()).isEqualTo(302);
    assertThat(bare.header("Location")).endsWith("/app/latchkey/my-api-keys.html");
    Reply slash = alice.page("/");
    assertThat(slash.status()).isEqualTo(302);
    assertThat(slash.header("Location")).endsWith("my-api-keys.html");
  }

  @Test
  void nobodyGetsInWithoutACaller() {
    Client anonymous = bearer(null);
    Reply api = anonymous.get("accounts/acme/users/alice/api-keys");
    assertThat(api.status()).isEqualTo(401);
    assertThat(api.problemType()).isEqualTo("unauthenticated");
    assertThat(api.header("WWW-Authenticate")).startsWith("Bearer");
    Reply page = anonymous.page("/my-api-keys.html");
    assertThat(page.status()).isEqualTo(401);
    assertThat(page.body()).doesNotContain("<script");
    assertThat(page.header("Content-Security-Policy")).isEqualTo(Console.CONTENT_SECURITY_POLICY);
    assertThat(anonymous.page("/console.css").status()).isEqualTo(401);
    assertThat(bearer("lk_pat_notavalidtoken").get("session").status()).isEqualTo(401);
  }

  @Test
  void theConsoleCanBeTurnedOff() {
    world.close();
    world = new World(b -> {}, b -> b.console(false));
    server.use(world.servlet);
    Client alice = as(World.ALICE);
    assertThat(alice.page("/my-api-keys.html").status()).isEqualTo(404);
    assertThat(alice.get("session").status()).isEqualTo(200);
  }

  @Test
  void consoleFilesAreListedAndFreeOfInlineCodeAndStorage() throws IOException, URISyntaxException {
    Path root = Path.of(HeadersTest.class.getResource(Console.RESOURCE_ROOT).toURI());
    List<String> onDisk = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).forEach(f -> onDisk.add(root.relativize(f).toString().replace('\\', '/')));
    }
    assertThat(onDisk).as("every console file is served, and only those").containsExactlyInAnyOrderElementsOf(Console.FILES);

    List<String> findings = new ArrayList<>();
    Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    Pattern handlerAttribute = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    Pattern forbiddenInScript = Pattern.compile(
        "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function|localStorage|sessionStorage"
            + "|indexedDB|document\\.cookie|console\\.[a-z]+\\(|pushState|replaceState|location\\.hash\\s*=|setAttribute\\('style'");
    for (String name : Console.FILES) {
      String text = Files.readString(root.resolve(name), StandardCharsets.UTF_8);
      if (name.endsWith(".html")) {
        if (inlineScript.matcher(text).find()) {
          findings.add(name + ": inline <script>");
        }
        if (text.contains("<style") || text.contains(" style=")) {
          findings.add(name + ": inline style");
        }
        if (handlerAttribute.matcher(text).find()) {
          findings.add(name + ": event-handler attribute");
        }
      } else if (name.endsWith(".js")) {
        Matcher m = forbiddenInScript.matcher(text);
        while (m.find()) {
          findings.add(name + ": " + m.group());
        }
      }
    }
    assertThat(findings).isEmpty();
  }
}
