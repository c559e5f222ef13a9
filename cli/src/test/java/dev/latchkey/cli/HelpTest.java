package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HelpTest {
  @TempDir
  Path dir;

  @Test
  void everyCommandHasHelp() {
    CliRunner cli = new CliRunner(dir);
    List<List<String>> paths = new ArrayList<>();
    collect(new Cli(java.util.Map.of(), dir, System.in, new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(new java.io.StringWriter()), cli.clock, null).commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(35);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRunner.Result r = cli.runRaw(null, args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).startsWith("Usage: latchkey").contains("Global options");
      if (path.isEmpty()) {
        assertThat(r.out()).contains("Exit codes:");
      } else {
        assertThat(r.out()).doesNotContain("Exit codes:").contains("see 'latchkey --help'");
      }
    }
    assertThat(cli.home.resolve(".latchkey")).doesNotExist();
  }

  @Test
  void topLevelHelpListsTheCommandTreeAndVersion() {
    CliRunner cli = new CliRunner(dir);
    String help = cli.runRaw(null, "--help").ok().out();
    assertThat(help).contains("accounts", "users", "service-accounts, sa", "keys, api-keys", "tokens", "peppers",
        "demo", "LATCHKEY_PEPPERS", "LATCHKEY_JDBC_PASSWORD", "~/.latchkey/latchkey");
    assertThat(help).contains("  3  database error", "  7  internal error").doesNotContain("database or internal");
    assertThat(cli.runRaw(null, "tokens", "--help").ok().out())
        .contains("issue", "list", "get", "edit", "rotate", "revoke", "delete", "verify", "expiring");
    assertThat(cli.runRaw(null, "--version").ok().out()).startsWith("latchkey ").doesNotContain("unknown");
  }

  @Test
  void perCommandHelpShowsItsOwnOptionsFirstAndTheGlobalOnesOnceAtTheEnd() {
    CliRunner cli = new CliRunner(dir);
    String help = cli.runRaw(null, "tokens", "issue", "--help").ok().out();
    String[] lines = help.split("\n");
    assertThat(lines[0]).startsWith("Usage: latchkey tokens issue").doesNotContain("--db", "--json", "--as");
    int own = help.indexOf("--expires=<when>");
    int globalHeading = help.indexOf("Global options");
    assertThat(own).isPositive();
    assertThat(globalHeading).as("a 'Global options' section after the command's own").isGreaterThan(own);
    for (String global : new String[] {"--db=<path>", "--jdbc-url=<url>", "--peppers-file=<path>", "--zone=<zone>",
        "--json", "--as=<principal>", "-h, --help"}) {
      assertThat(help.indexOf(global)).as(global).isGreaterThan(globalHeading);
      assertThat(help.indexOf(global)).as(global + " once").isEqualTo(help.lastIndexOf(global));
    }
    for (String ownOption : new String[] {"--name=<name>", "--tag=<key=value>", "--out-file=<path>", "<token>"}) {
      assertThat(help.indexOf(ownOption)).as(ownOption).isLessThan(globalHeading);
    }
    assertThat(help).doesNotContain("Exit codes:").contains("latchkey --help");

    String top = cli.runRaw(null, "--help").ok().out();
    assertThat(top).contains("Exit codes:", "Global options");
    assertThat(top.indexOf("Exit codes:")).isEqualTo(top.lastIndexOf("Exit codes:"));
  }

  private static void collect(CommandLine cmd, List<String> prefix, List<List<String>> out) {
    out.add(prefix);
    cmd.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) { // skip aliases
        List<String> next = new ArrayList<>(prefix);
        next.add(name);
        collect(sub, next, out);
      }
    });
  }
}
