package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default database folder: {@code $LATCHKEY_HOME}, else {@code $HOME/.latchkey}, else {@code
 * .latchkey} in Java's {@code user.home} ({@link CliRunner#home} plays that part here).
 */
class HomeFolderTest {
  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
  }

  @Test
  void homeEnvironmentVariableIsHonoured() {
    Path fresh = dir.resolve("fresh-home");
    cli.env.put("HOME", fresh.toString());
    cli.runRaw(null, "accounts", "create", "acme").ok();
    assertThat(fresh.resolve(".latchkey/latchkey.mv.db")).isRegularFile();
    assertThat(cli.home.resolve(".latchkey")).as("Java's user.home is only the last resort").doesNotExist();
    assertThat(cli.runRaw(null, "accounts", "get", "acme").ok().out()).contains("acme");
  }

  @Test
  void latchkeyHomeNamesTheFolderItself() {
    Path folder = dir.resolve("lk-data");
    cli.env.put("HOME", dir.resolve("fresh-home").toString());
    cli.env.put("LATCHKEY_HOME", folder.toString());
    cli.runRaw(null, "accounts", "create", "acme").ok();
    assertThat(folder.resolve("latchkey.mv.db")).isRegularFile();
    assertThat(dir.resolve("fresh-home")).doesNotExist();
    assertThat(cli.home.resolve(".latchkey")).doesNotExist();
  }

  @Test
  void userHomeIsTheLastResort() {
    cli.env.put("HOME", "");
    cli.runRaw(null, "accounts", "create", "acme").ok();
    assertThat(cli.home.resolve(".latchkey/latchkey.mv.db")).isRegularFile();
  }

  @Test
  void aRelativeHomeIsRefused() {
    cli.env.put("HOME", "relative/home");
    CliRunner.Result r = cli.runRaw(null, "accounts", "list");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("HOME", "absolute");
    cli.env.put("HOME", dir.resolve("h").toString());
    cli.env.put("LATCHKEY_HOME", "rel");
    assertThat(cli.runRaw(null, "accounts", "list").err()).contains("LATCHKEY_HOME", "absolute");
  }

  @Test
  void theHelpExplainsTheDefaultFolder() {
    cli.env.put("HOME", dir.resolve("fresh-home").toString());
    assertThat(cli.runRaw(null, "--help").ok().out()).contains("LATCHKEY_HOME", "$HOME/.latchkey");
  }
}
