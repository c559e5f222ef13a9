package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar, run as a separate process exactly as the README tells people to. Run by Failsafe
 * after {@code package}; the jar's path comes from the {@code latchkey.cli.jar} system property.
 */
class LatchkeyJarIT {
  @TempDir
  Path dir;

  Path jar;

  @BeforeEach
  void findJar() {
    String property = System.getProperty("latchkey.cli.jar");
    Assumptions.assumeTrue(property != null && Files.isRegularFile(Path.of(property)),
        "target/latchkey.jar is built by 'mvn package'; run this with 'mvn verify'");
    jar = Path.of(property);
  }

  record Run(int exitCode, String out, String err) {}

  Run latchkey(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.home=" + dir.resolve("java-user-home")); // only the last resort after $HOME
    command.add("-XX:TieredStopAtLevel=1"); // quicker start-up for these short runs
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("LATCHKEY_"));
    pb.environment().put("HOME", dir.resolve("home").toString()); // never the real home folder
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished within 60 s").isTrue();
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
  }

  @Test
  void demoRunsFromTheJar() throws Exception {
    Run demo = latchkey(Map.of(), null, "demo");
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("EPHEMERAL pepper keyset", "Demo finished: all", "behaved as expected");
    assertThat(demo.err()).isEmpty(); // no logging noise, no stack traces
  }

  /** The shaded jar carries Jetty, the servlet API and the console's files: the console starts and serves. */
  @Test
  void consoleRunsFromTheJar() throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(), "console", "--port", "0");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("LATCHKEY_"));
    pb.environment().put("HOME", dir.resolve("home").toString());
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String base = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (String line; System.nanoTime() < deadline && (line = lines.readLine()) != null; ) {
        if (line.startsWith("Latchkey console: ")) {
          base = line.substring("Latchkey console: ".length()).replaceAll("/$", "");
        }
        if (line.contains("Stop with Ctrl+C")) {
          break;
        }
      }
      assertThat(base).as("the console printed its address").isNotNull();
      var http = java.net.http.HttpClient.newHttpClient();
      var login = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/login")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      var api = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/latchkey/api/v1/session")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(401);
      assertThat(api.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aFreshHomeGetsAnOwnerOnlyDatabaseAndNoTraceFile() throws Exception {
    Run generated = latchkey(Map.of(), null, "peppers", "generate");
    Path fresh = dir.resolve("fresh-home");
    Map<String, String> env = Map.of("LATCHKEY_PEPPERS", generated.out().strip(), "HOME", fresh.toString());
    Run created = latchkey(env, null, "accounts", "create", "acme");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.err()).isEmpty();
    Path folder = fresh.resolve(".latchkey");
    assertThat(folder.resolve("latchkey.mv.db")).isRegularFile();
    assertThat(dir.resolve("java-user-home")).as("user.home is only the last resort").doesNotExist();
    Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        assertThat(f.getFileName().toString()).as("no trace file").isEqualTo("latchkey.mv.db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void operatorSessionAcrossProcesses() throws Exception {
    Run generated = latchkey(Map.of(), null, "peppers", "generate");
    assertThat(generated.exitCode()).isZero();
    Map<String, String> env = Map.of("LATCHKEY_PEPPERS", generated.out().strip());
    String db = dir.resolve("data/latchkey").toString();

    assertThat(latchkey(env, null, "--db", db, "accounts", "create", "acme").exitCode()).isZero();
    assertThat(latchkey(env, null, "--db", db, "sa", "create", "acme/ci_bot").exitCode()).isZero();
    assertThat(latchkey(env, null, "--db", db, "keys", "create", "acme/sa/ci_bot/ci_key").exitCode()).isZero();
    Path tokenFile = dir.resolve("ci.token");
    Run issued = latchkey(env, null, "--db", db, "tokens", "issue", "acme/sa/ci_bot/ci_key/t", "--out-file",
        tokenFile.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    String token = Files.readString(tokenFile).strip();
    assertThat(issued.out()).doesNotContain(token);

    Run valid = latchkey(env, token + "\n", "--db", db, "tokens", "verify", "--json");
    assertThat(valid.exitCode()).as(valid.err()).isZero();
    assertThat(TestJson.object(valid.out())).containsEntry("principal", "acme/sa/ci_bot");
    assertThat(valid.out()).doesNotContain(token);

    Path fresh = dir.resolve("fresh/latchkey");
    Files.createDirectories(fresh.getParent());
    Run bad = latchkey(env, null, "--db", fresh.toString(), "tokens", "issue", "acme/sa/x/k/t", "--expires", "soon");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().strip()).contains("--expires").doesNotContain("\n");
    try (var files = Files.list(fresh.getParent())) {
      assertThat(files).isEmpty();
    }

    Run readWithoutPeppers = latchkey(Map.of(), null, "--db", db, "tokens", "list", "acme/sa/ci_bot/ci_key");
    assertThat(readWithoutPeppers.exitCode()).as(readWithoutPeppers.err()).isZero();
    assertThat(readWithoutPeppers.out()).contains("active");
    Run noPeppers = latchkey(Map.of(), null, "--db", db, "tokens", "revoke", "acme/sa/ci_bot/ci_key/t");
    assertThat(noPeppers.exitCode()).isEqualTo(2);
    assertThat(noPeppers.err()).contains("LATCHKEY_PEPPERS");
    assertThat(dir.resolve("home/.latchkey")).doesNotExist();
  }
}
