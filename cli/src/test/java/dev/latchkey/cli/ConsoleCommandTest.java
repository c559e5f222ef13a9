package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey console}: starts Jetty on 127.0.0.1, prints the address and a login code once,
 * signs in with the code only, and serves the console and the API to the signed-in admin.
 */
class ConsoleCommandTest {
  @TempDir
  Path dir;

  @Test
  void startsSignsInWithTheCodeAndServesTheApi() throws Exception {
    CliRunner runner = new CliRunner(dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli cli = new Cli(runner.env, runner.home, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
        new PrintWriter(err, true), runner.clock, null);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread console = new Thread(() -> exit.set(cli.execute("console", "--port", "0")), "console-under-test");
    console.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!out.toString().contains("Stop with Ctrl+C") && System.nanoTime() < deadline && console.isAlive()) {
        Thread.sleep(50);
      }
      String printed = out.toString();
      assertThat(printed).as("stderr: " + err).contains("Stop with Ctrl+C");
      Matcher url = Pattern.compile("Latchkey console: (http://127\\.0\\.0\\.1:\\d+)/").matcher(printed);
      assertThat(url.find()).isTrue();
      String base = url.group(1);
      Matcher codeLine = Pattern.compile("\\n {6}([A-Z2-9]{5}(?:-[A-Z2-9]{5}){3})\\n").matcher(printed);
      assertThat(codeLine.find()).as(printed).isTrue();
      String code = codeLine.group(1);
      assertThat(printed.split(code, -1)).as("the code is printed once").hasSize(2);

      HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER).build();
      assertThat(send(http, get(base + "/latchkey/my-api-keys.html")).statusCode()).isEqualTo(401);
      assertThat(send(http, get(base + "/login")).body()).contains("Login code");
      assertThat(send(http, form(base, "code=WRONG-CODE0-00000-00000")).statusCode()).isEqualTo(401);
      assertThat(send(http, get(base + "/latchkey/api/v1/session")).statusCode()).isEqualTo(401);
      HttpResponse<String> signedIn = send(http, form(base, "code=" + code));
      assertThat(signedIn.statusCode()).isEqualTo(303);
      assertThat(signedIn.headers().firstValue("Location")).hasValue("/latchkey/");

      HttpResponse<String> session = send(http, get(base + "/latchkey/api/v1/session"));
      assertThat(session.statusCode()).isEqualTo(200);
      assertThat(session.body()).contains("\"actor\":\"acme/user/admin\"");
      Matcher csrf = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(session.body());
      assertThat(csrf.find()).isTrue();
      HttpResponse<String> key = send(http, HttpRequest.newBuilder(URI.create(base + "/latchkey/api/v1/accounts/acme/users/admin/api-keys"))
          .header("Content-Type", "application/json").header("X-CSRF-Token", csrf.group(1)).header("Origin", base)
          .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"laptop\",\"name\":\"Laptop\"}")).build());
      assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
      assertThat(send(http, get(base + "/latchkey/api/v1/accounts/acme/service-accounts")).body()).contains("\"ci_bot\"");
      assertThat(send(http, get(base + "/latchkey/my-api-keys.html")).statusCode()).isEqualTo(200);
    } finally {
      console.interrupt();
      console.join(30_000);
    }
    assertThat(console.isAlive()).isFalse();
    assertThat(exit.get()).as("stderr: " + err).isZero();
  }

  @Test
  void refusesADatabaseOption() {
    CliRunner runner = new CliRunner(dir);
    CliRunner.Result r = runner.run("console", "--port", "0");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("in-memory database");
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).GET().build();
  }

  private static HttpRequest form(String base, String body) {
    return HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", base).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
