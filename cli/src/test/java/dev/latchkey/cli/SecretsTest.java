package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.PepperKeyset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token values are printed once (or written to an owner-only file) and never again; peppers never. */
class SecretsTest {
  static final String KEY = "acme/sa/ci_bot/ci_key";
  static final String TOKEN = KEY + "/pipeline";

  @TempDir
  Path dir;

  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir);
    cli.run("accounts", "create", "acme").ok();
    cli.run("sa", "create", "acme/ci_bot").ok();
    cli.run("keys", "create", KEY).ok();
  }

  @Test
  void aTokenValueIsPrintedOnceAndNeverAgain() throws Exception {
    String value = cli.run("tokens", "issue", TOKEN).ok().token();
    String secret = value.substring(value.lastIndexOf('_') + 1);

    List<CliRunner.Result> later = new ArrayList<>();
    for (boolean json : new boolean[] {false, true}) {
      String[] flag = json ? new String[] {"--json"} : new String[0];
      later.add(cli.run(concat(new String[] {"tokens", "list", KEY}, flag)).ok());
      later.add(cli.run(concat(new String[] {"tokens", "get", TOKEN}, flag)).ok());
      later.add(cli.run(concat(new String[] {"tokens", "edit", TOKEN, "--name", "renamed"}, flag)).ok());
      later.add(cli.runWithInput(value, concat(new String[] {"tokens", "verify"}, flag)).ok());
      later.add(cli.run(concat(new String[] {"tokens", "expiring", "--within", "365d"}, flag)).ok());
      later.add(cli.run(concat(new String[] {"keys", "get", KEY}, flag)).ok());
      later.add(cli.runWithInput(value, concat(new String[] {"tokens", "verify", "--verbose", "--as", "x/user/y"},
          flag)));
    }
    CliRunner.Result rotated = cli.run("tokens", "rotate", TOKEN, "--grace", "1h").ok();
    assertThat(rotated.token()).isNotEqualTo(value);
    later.add(rotated);
    later.add(cli.run("tokens", "revoke", TOKEN).ok());
    later.add(cli.runWithInput(value, "tokens", "verify", "--verbose"));
    for (CliRunner.Result r : later) {
      assertThat(r.out() + r.err()).doesNotContain(secret);
    }
    // only a keyed hash is stored: the secret is nowhere in the database file
    byte[] db = Files.readAllBytes(cli.dbFile());
    assertThat(new String(db, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
  }

  @Test
  void outFileIsOwnerOnlyAndTheValueIsNotPrinted() throws Exception {
    Path file = dir.resolve("pipeline.token");
    CliRunner.Result issued = cli.run("tokens", "issue", TOKEN, "--out-file", file.toString()).ok();
    assertThat(issued.tokens()).isEmpty();
    assertThat(issued.out()).contains("written to " + file, "cannot be retrieved again");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String value = Files.readString(file).strip();
    assertThat(value).matches(CliRunner.TOKEN);
    cli.run("tokens", "verify", "--token-file", file.toString()).ok();

    Path rotatedFile = dir.resolve("rotated.token");
    Map<String, Object> rotated = cli.run("tokens", "rotate", TOKEN, "--out-file", rotatedFile.toString(), "--json")
        .ok().json();
    assertThat(rotated).containsEntry("valueFile", rotatedFile.toAbsolutePath().toString()).doesNotContainKey("value");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rotatedFile))).isEqualTo("rw-------");
    assertThat(Files.readString(rotatedFile).strip()).isNotEqualTo(value).matches(CliRunner.TOKEN);
  }

  @Test
  void outFileNeverOverwritesAndThenNothingIsIssued() throws Exception {
    Path file = dir.resolve("existing.token");
    Files.writeString(file, "keep me\n");
    CliRunner.Result refused = cli.run("tokens", "issue", TOKEN, "--out-file", file.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("already exists", "refusing to overwrite");
    assertThat(Files.readString(file)).isEqualTo("keep me\n");
    assertThat(cli.run("tokens", "list", KEY, "--json").ok().items()).isEmpty();

    Path noFolder = dir.resolve("missing/folder/t.token");
    CliRunner.Result noDir = cli.run("tokens", "issue", TOKEN, "--out-file", noFolder.toString());
    assertThat(noDir.exitCode()).isEqualTo(2);
    assertThat(noDir.err()).contains("does not exist");
    assertThat(cli.run("tokens", "list", KEY, "--json").ok().items()).isEmpty();
  }

  @Test
  void aFailedIssueLeavesNoOutFileBehind() {
    Path file = dir.resolve("t.token");
    CliRunner.Result missingKey = cli.run("tokens", "issue", "acme/sa/ci_bot/nokey/t", "--out-file", file.toString());
    assertThat(missingKey.exitCode()).isEqualTo(1);
    assertThat(file).doesNotExist();
  }

  @Test
  void peppersGeneratePrintsANewKeysetThatWorks() throws Exception {
    CliRunner.Result generated = cli.runRaw(null, "peppers", "generate");
    generated.ok();
    String spec = generated.out().strip();
    assertThat(spec).matches("1\\*:[A-Za-z0-9+/]{43}=");
    assertThat(generated.err()).contains("LATCHKEY_PEPPERS", "--peppers-file", "secret");
    assertThat(PepperKeyset.parse(spec).primaryVersion()).isEqualTo(1);
    assertThat(cli.runRaw(null, "peppers", "generate").out().strip()).isNotEqualTo(spec);

    Map<String, Object> v2 = cli.runRaw(null, "peppers", "generate", "--pepper-version", "2", "--json").ok().json();
    assertThat(v2).containsEntry("version", 2L);
    assertThat((String) v2.get("keyset")).startsWith("2*:");

    Path file = dir.resolve("peppers");
    CliRunner.Result toFile = cli.runRaw(null, "peppers", "generate", "--out-file", file.toString()).ok();
    assertThat(toFile.out()).doesNotContain(Files.readString(file).strip());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(cli.runRaw(null, "peppers", "generate", "--out-file", file.toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void peppersFromAFileAndPepperRotation() throws Exception {
    String value = cli.run("tokens", "issue", TOKEN).ok().token();
    Path file = dir.resolve("peppers");
    String v2 = cli.runRaw(null, "peppers", "generate", "--pepper-version", "2").ok().out().strip().replace("*", "");
    Files.writeString(file, "1:" + cli.pepperKey + "," + v2 + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    cli.env.remove("LATCHKEY_PEPPERS");

    List<Map<String, Object>> before = cli.run("peppers", "usage", "--peppers-file", file.toString(), "--json").ok()
        .items();
    assertThat(before).singleElement().satisfies(u -> assertThat(u).containsEntry("pepperVersion", 1L)
        .containsEntry("count", 1L).containsEntry("inKeyset", true));
    // verifying under the old pepper re-hashes with the primary (version 2)
    cli.runWithInput(value, "tokens", "verify", "--peppers-file", file.toString()).ok();
    Map<String, Object> after = cli.run("peppers", "usage", "--peppers-file", file.toString(), "--json").ok().json();
    assertThat(after).containsEntry("primaryVersion", 2L).containsEntry("keysetVersions", List.of(1L, 2L));
    assertThat(cli.run("peppers", "usage", "--peppers-file", file.toString()).ok().out())
        .contains("Keyset versions [1, 2], primary 2", "hmac");
  }

  @Test
  void aPeppersFileOthersCanReadIsRefused() throws Exception {
    DatabaseFilesTest.assumePosix();
    Path file = dir.resolve("peppers");
    Files.writeString(file, "1:" + cli.pepperKey + "\n");
    cli.env.remove("LATCHKEY_PEPPERS");
    for (String mode : new String[] {"rw-r-----", "rw----r--", "rw-rw----", "rw-r--r--"}) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      CliRunner.Result r = cli.run("tokens", "issue", TOKEN, "--peppers-file", file.toString());
      assertThat(r.exitCode()).as("mode %s; stderr: %s", mode, r.err()).isEqualTo(2);
      assertThat(r.err()).contains(file.toString(), "chmod 600").doesNotContain("warning");
      assertThat(r.out()).isEmpty();
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    cli.run("tokens", "issue", TOKEN, "--peppers-file", file.toString()).ok();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    cli.run("tokens", "revoke", TOKEN, "--peppers-file", file.toString()).ok();
  }

  @Test
  void aKeysetWithoutAStoredVersionIsRefused() {
    cli.run("tokens", "issue", TOKEN).ok();
    cli.env.put("LATCHKEY_PEPPERS", cli.runRaw(null, "peppers", "generate", "--pepper-version", "2").out().strip());
    CliRunner.Result refused = cli.run("tokens", "revoke", TOKEN);
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("lacks versions", "version 1");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
