package dev.latchkey.cli;

import dev.latchkey.HashUsage;
import dev.latchkey.PepperKeyset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "peppers", description = "The server-side HMAC keys that stored token hashes are keyed with.",
    subcommands = {PepperCommands.Generate.class, PepperCommands.Usage.class})
final class PepperCommands extends Group {

  @Command(name = "generate", description = {
      "Print a new pepper keyset (one random 32-byte key) for LATCHKEY_PEPPERS or --peppers-file.",
      "This is the only command that prints peppers. The keyset goes to standard output, advice to standard error."})
  static final class Generate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pepper-version", paramLabel = "<n>", defaultValue = "1",
        description = "Version of the new pepper, 1 to 65535 (default ${DEFAULT-VALUE}). When rotating, use the"
            + " next version and append the entry to your existing keyset.")
    int version;

    @Option(names = "--out-file", paramLabel = "<path>",
        description = "Write the keyset to this new file (mode 600) instead of printing it. Never overwrites.")
    Path outFile;

    @Override
    public Integer call() {
      LatchkeyCommand root = (LatchkeyCommand) spec.root().userObject();
      if (version < 1 || version > 65535) {
        throw new UsageException("--pepper-version must be 1 to 65535 (was " + version + ")");
      }
      if (outFile != null) {
        SecretFile.checkUsable(outFile);
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String spec = PepperKeyset.builder().add(version, key).build().export();
      java.util.Arrays.fill(key, (byte) 0);

      Output out = root.output();
      PrintWriter err = root.cli().err();
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("version", version);
      if (outFile != null) {
        SecretFile file = SecretFile.reserve(outFile);
        file.write(spec);
        doc.put("keysetFile", outFile.toAbsolutePath().toString());
        if (out.json()) {
          out.object(doc);
        } else {
          out.say("Wrote a new pepper keyset (version " + version + ") to " + outFile + " (readable by you only).");
        }
      } else if (out.json()) {
        doc.put("keyset", spec);
        out.object(doc);
      } else {
        out.say(spec);
      }
      err.println("Keep this keyset secret and out of the database: store it in your secret manager, or in a file");
      err.println("only the application can read (chmod 600), and pass it as LATCHKEY_PEPPERS or --peppers-file.");
      err.println("Every application node and this tool need the same keyset. Losing it makes every token fail.");
      err.println("To rotate: append the output of 'peppers generate --pepper-version <next>' to the keyset, comma-");
      err.println("separated (the highest version becomes primary); drop an old version only when 'latchkey peppers");
      err.println("usage' shows no stored hash uses it.");
      return ExitCodes.OK;
    }
  }

  @Command(name = "usage", description = "Show which pepper versions stored hashes use, and which the keyset has"
      + " (versions only, never keys). Tells when an old pepper can be dropped.")
  static final class Usage extends StoreCommand {
    @Override
    Operation prepare(Session.Config config) {
      return s -> {
        PepperKeyset keyset = s.peppers();
        List<Map<String, Object>> items = new ArrayList<>();
        for (HashUsage u : s.manager().hashUsage(s.actor())) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("scheme", u.scheme());
          m.put("pepperVersion", u.pepperVersion());
          m.put("count", u.count());
          m.put("inKeyset", keyset.hasVersion(u.pepperVersion()));
          items.add(m);
        }
        if (out().json()) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("primaryVersion", keyset.primaryVersion());
          doc.put("keysetVersions", new ArrayList<>(keyset.versions()));
          doc.put("items", items);
          out().object(doc);
        } else {
          out().say("Keyset versions " + keyset.versions() + ", primary " + keyset.primaryVersion() + ".");
          out().list(items, List.of(new Output.Column("SCHEME", "scheme"),
              new Output.Column("PEPPER VERSION", "pepperVersion"), new Output.Column("HASHES", "count"),
              new Output.Column("IN KEYSET", "inKeyset")), null);
        }
        return ExitCodes.OK;
      };
    }
  }
}
