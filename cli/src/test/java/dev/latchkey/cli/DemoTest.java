package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoTest {
  @TempDir
  Path dir;

  @Test
  void runsTheWholeScenarioWithoutPeppersAndSaysTheyAreEphemeral() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.env.remove("LATCHKEY_PEPPERS");
    CliRunner.Result r = cli.runRaw(null, "demo").ok();
    assertThat(r.out()).contains("EPHEMERAL pepper keyset", "in-memory H2", "Demo finished: all",
        "behaved as expected", "rejected (BAD_SECRET), as expected", "rejected (REVOKED), as expected",
        "rejected (DISABLED), as expected", "rejected (EXPIRED), as expected", "rejected (UNKNOWN), as expected",
        "rejected (MALFORMED), as expected", "refused as expected", "$ latchkey tokens rotate");
    assertThat(r.out()).doesNotContain("UNEXPECTED");
    assertThat(r.tokens()).hasSizeGreaterThanOrEqualTo(4); // shown once each, at issue and rotation
    assertThat(r.tokens()).doesNotHaveDuplicates();
    assertThat(cli.home.resolve(".latchkey")).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("the demo writes nothing to disk").isEmpty();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonListsEveryStepAndEachShownCommandIsValid() {
    CliRunner cli = new CliRunner(dir);
    Map<String, Object> doc = cli.runRaw(null, "demo", "--json").ok().json();
    assertThat(doc).containsEntry("ephemeralPeppers", true).containsEntry("ok", true);
    List<Map<String, Object>> steps = (List<Map<String, Object>>) doc.get("steps");
    assertThat(steps).hasSizeGreaterThan(25).allSatisfy(s -> assertThat(s).containsEntry("ok", true));
    Map<String, Object> verifications = (Map<String, Object>) doc.get("verifications");
    assertThat((long) verifications.get("valid")).isGreaterThan(5);

    // every command the demo shows parses with the real command line (syntax, identifiers, options)
    for (Map<String, Object> step : steps) {
      List<String> args = (List<String>) step.get("args");
      if (args.isEmpty()) {
        continue;
      }
      CommandLine cmd = new Cli(Map.of(), dir, System.in, new java.io.PrintWriter(new java.io.StringWriter()),
          new java.io.PrintWriter(new java.io.StringWriter()), cli.clock, null).commandLine();
      cmd.parseArgs(args.toArray(String[]::new));
    }
  }
}
