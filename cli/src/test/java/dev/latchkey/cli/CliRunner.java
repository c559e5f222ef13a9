package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testsupport.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the CLI in-process as a user would: arguments, environment, standard input; captures exit
 * code, standard output and standard error. Every run also checks that the pepper key never appears
 * in any output (only {@code peppers generate} prints peppers, and it prints new ones).
 */
final class CliRunner {
  static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
  static final Pattern TOKEN = Pattern.compile("\\blk_(?:pat|sat)_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}\\b");

  final Path home;
  final Path db;
  final Map<String, String> env = new HashMap<>();
  final MutableClock clock = new MutableClock(START);
  final String pepperKey;

  CliRunner(Path dir) {
    this.home = dir.resolve("home");
    this.db = dir.resolve("latchkey");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.pepperKey = Base64.getEncoder().encodeToString(key);
    env.put("LATCHKEY_PEPPERS", "1:" + pepperKey);
  }

  record Result(int exitCode, String out, String err) {
    Map<String, Object> json() {
      return TestJson.object(out);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items() {
      return (List<Map<String, Object>>) json().get("items");
    }

    /** Every token value in the standard output. */
    List<String> tokens() {
      List<String> found = new ArrayList<>();
      Matcher m = TOKEN.matcher(out);
      while (m.find()) {
        found.add(m.group());
      }
      return found;
    }

    String token() {
      List<String> all = tokens();
      assertThat(all).as("exactly one token value in: %s", out).hasSize(1);
      return all.get(0);
    }

    Result ok() {
      assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
      return this;
    }
  }

  /** Runs with {@code --db <temp file>} appended. */
  Result run(String... args) {
    return runRaw(null, withDb(args));
  }

  Result runWithInput(String stdin, String... args) {
    return runRaw(stdin, withDb(args));
  }

  /** Runs exactly these arguments. */
  Result runRaw(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    byte[] input = stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8);
    Cli cli = new Cli(env, home, new ByteArrayInputStream(input), new PrintWriter(out, true),
        new PrintWriter(err, true), clock, null);
    int code = cli.execute(args);
    Result r = new Result(code, out.toString(), err.toString());
    assertThat(r.out() + r.err()).as("the pepper must never be printed").doesNotContain(pepperKey);
    return r;
  }

  private String[] withDb(String[] args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--db";
    all[args.length + 1] = db.toString();
    return all;
  }

  Path dbFile() {
    return db.resolveSibling(db.getFileName() + ".mv.db");
  }
}
