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
      assertThat(r.out()).startsWith("Usage: latchkey").contains("Exit codes:");
    }
    assertThat(cli.home.resolve(".latchkey")).doesNotExist();
  }

  @Test
  void topLevelHelpListsTheCommandTreeAndVersion() {
    CliRunner cli = new CliRunner(dir);
    String help = cli.runRaw(null, "--help").ok().out();
    assertThat(help).contains("accounts", "users", "service-accounts, sa", "keys, api-keys", "tokens", "peppers",
        "demo", "LATCHKEY_PEPPERS", "LATCHKEY_JDBC_PASSWORD", "~/.latchkey/latchkey");
    assertThat(cli.runRaw(null, "tokens", "--help").ok().out())
        .contains("issue", "list", "get", "edit", "rotate", "revoke", "delete", "verify", "expiring");
    assertThat(cli.runRaw(null, "--version").ok().out()).startsWith("latchkey ").doesNotContain("unknown");
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
