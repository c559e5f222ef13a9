package dev.latchkey.cli;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.LatchkeyException;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.PageRequest;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenRef;
import dev.latchkey.VerificationResult;
import dev.latchkey.VerificationStats;
import dev.latchkey.Verified;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A full scenario on a fresh in-memory database with an ephemeral pepper keyset: every step runs
 * through the library exactly as the named CLI command would, and checks that it behaved as
 * expected. Nothing outside the process is read or written.
 */
@Command(name = "demo", description = {
    "Run a full scenario end to end on a fresh in-memory database, step by step.",
    "Accounts, an admin, a service account, a key, issue, verify, rotate with grace, disable, revoke, delete.",
    "Uses an EPHEMERAL pepper keyset generated for this run (LATCHKEY_PEPPERS is not used) and a simulated",
    "clock; nothing is written to disk. Exit code 0 when every step behaved as expected."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** One step: what was done, the CLI command that does the same, and what happened. */
  record Step(int number, String title, List<String> args, String stdin, String outcome, boolean ok) {
    String command() {
      if (args.isEmpty()) {
        return "";
      }
      String line = "latchkey " + args.stream().map(DemoCommand::shellQuote).collect(Collectors.joining(" "));
      return stdin == null ? line : line + " < " + stdin;
    }
  }

  private final List<Step> steps = new ArrayList<>();
  private Output out;
  private PrintWriter text;
  private TokenManager manager;
  private Session session;
  private DemoClock clock;

  @Override
  public Integer call() {
    LatchkeyCommand root = (LatchkeyCommand) spec.root().userObject();
    out = root.output();
    text = root.cli().out();
    clock = new DemoClock(root.cli().clock().instant().truncatedTo(ChronoUnit.SECONDS));
    String dbName = "latchkey_demo_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    Session.Config config = new Session.Config(Database.h2Memory(dbName), root.format(), Limits.defaults(),
        Actor.system(), clock, java.time.ZoneOffset.UTC, root.audit(), root.cli().err());

    out.say("Latchkey demo: a full scenario on a fresh, throw-away database.");
    out.say("- Peppers: an EPHEMERAL pepper keyset was generated for this run only (not printed, not saved);"
        + " LATCHKEY_PEPPERS is not used.");
    out.say("  Every token below is worthless once this process ends. Real deployments keep one keyset in a secret"
        + " store ('latchkey peppers generate').");
    out.say("- Database: in-memory H2, schema created with JdbcSchema.migrate; nothing is written to disk.");
    out.say("- Clock: simulated, starting at " + clock.instant() + "; the demo moves it forward to show expiry.");
    out.say("- Each step shows the CLI command that does the same on a real database.");
    out.say("");

    try (Session s = Session.open(config, PepperKeyset.generate(new SecureRandom()), true)) {
      session = s;
      manager = s.manager();
      scenario();
      VerificationStats stats = s.latchkey().stats();
      String rejected = stats.rejected().entrySet().stream()
          .filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.comparingByKey())
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", "));
      boolean ok = steps.stream().allMatch(Step::ok);
      if (out.json()) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ephemeralPeppers", true);
        doc.put("database", "in-memory H2");
        doc.put("steps", steps.stream().map(DemoCommand::stepView).toList());
        Map<String, Object> verifications = new LinkedHashMap<>();
        verifications.put("valid", stats.valid());
        Map<String, Object> byReason = new LinkedHashMap<>();
        stats.rejected().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> byReason.put(e.getKey().name(), e.getValue()));
        verifications.put("rejected", byReason);
        doc.put("verifications", verifications);
        doc.put("ok", ok);
        out.object(doc);
      } else {
        out.say("");
        out.say("Verifications: " + stats.valid() + " valid; rejected: " + (rejected.isEmpty() ? "none" : rejected) + ".");
        out.say(ok ? "Demo finished: all " + steps.size() + " steps behaved as expected."
            : "Demo finished with UNEXPECTED results in steps "
                + steps.stream().filter(st -> !st.ok()).map(st -> String.valueOf(st.number()))
                    .collect(Collectors.joining(", ")) + ".");
        out.say("The ephemeral peppers and the in-memory database are discarded now.");
      }
      return ok ? ExitCodes.OK : ExitCodes.REJECTED_OR_NOT_FOUND;
    }
  }

  List<Step> steps() {
    return steps;
  }

  private void scenario() {
    Actor system = Actor.system();
    PrincipalRef alice = PrincipalRef.user("acme", "alice");
    PrincipalRef bob = PrincipalRef.user("acme", "bob");
    PrincipalRef ciBot = PrincipalRef.serviceAccount("acme", "ci_bot");
    Actor asAlice = Actor.principal(alice);
    Actor asBob = Actor.principal(bob);
    ApiKeyRef ciKey = ciBot.apiKey("ci_key");
    TokenRef pipeline = ciKey.token("pipeline");

    run("Create the account (tenant) acme",
        List.of("accounts", "create", "acme", "--name", "Acme Inc."),
        () -> "created account " + manager.createAccount(system, "acme", "Acme Inc.").id());
    run("Create Alice, an Account Admin",
        List.of("users", "create", "acme/alice", "--name", "Alice", "--role", "account_admin"),
        () -> "created " + manager.createUser(system,
            NewUser.of("acme", "alice", "Alice").withRoles(Set.of("account_admin"))).ref() + " with role account_admin");
    run("Create Bob, a user without admin rights",
        List.of("users", "create", "acme/bob", "--name", "Bob"),
        () -> "created " + manager.createUser(system, NewUser.of("acme", "bob", "Bob")).ref());
    refused("Bob tries to create a service account (only admins may)",
        List.of("--as", "acme/user/bob", "service-accounts", "create", "acme/rogue_bot"),
        () -> manager.createServiceAccount(asBob, NewServiceAccount.of(Scope.account("acme"), "rogue_bot", "Rogue")));
    run("Alice creates the service account ci_bot at project scope, with permission deploy:write",
        List.of("--as", "acme/user/alice", "service-accounts", "create", "acme/ci_bot", "--scope",
            "acme/platform/deploys", "--name", "CI bot", "--permission", "deploy:write"),
        () -> {
          var sa = manager.createServiceAccount(asAlice, NewServiceAccount.of(Scope.project("acme", "platform", "deploys"),
              "ci_bot", "CI bot").withPermissions(Set.of("deploy:write")));
          return "created " + sa.ref() + " at scope " + sa.scope();
        });
    run("Alice creates an API key for ci_bot",
        List.of("--as", "acme/user/alice", "keys", "create", "acme/sa/ci_bot/ci_key", "--name", "CI key", "--tag",
            "team=platform"),
        () -> {
          var key = manager.createApiKey(asAlice, NewApiKey.of(ciBot, "ci_key", "CI key")
              .withTags(Map.of("team", "platform")));
          return "created " + key.ref() + " at scope " + key.scope() + " (keys carry no permissions of their own)";
        });
    String[] first = new String[1];
    run("Alice issues the token 'pipeline', expiring in 90 days",
        List.of("--as", "acme/user/alice", "tokens", "issue", pipeline.toString(), "--name", "Pipeline", "--expires",
            "90d"),
        () -> {
          IssuedToken issued = manager.issueToken(asAlice, NewToken.of(ciKey, "pipeline", "Pipeline")
              .expiring(Expiration.after(Duration.ofDays(90))));
          first[0] = issued.value().reveal();
          return "issued, expires " + issued.token().expiresAt() + "; the value, shown this once: "
              + first[0];
        });
    verify("Verify the token: it yields ci_bot with ci_bot's permissions", "pipeline.token", first[0], null);
    String tampered = tamper(first[0]);
    verify("Verify a copy with one character changed: rejected by its checksum, before any lookup",
        "tampered.token", tampered, RejectReason.MALFORMED);
    String[] second = new String[1];
    run("Rotate the token with a 5-minute grace period (same identifier, new value)",
        List.of("tokens", "rotate", pipeline.toString(), "--grace", "5m"),
        () -> {
          IssuedToken rotated = manager.rotateToken(system, pipeline, Rotation.withGrace(Duration.ofMinutes(5)));
          second[0] = rotated.value().reveal();
          return "rotated; the old value works until " + rotated.token().previousValidUntil()
              + "; the new value, shown this once: " + second[0];
        });
    verify("Verify the OLD value: still valid within the grace period", "pipeline.token", first[0], null);
    verify("Verify the NEW value", "pipeline-rotated.token", second[0], null);
    pass("Six minutes pass (simulated)", Duration.ofMinutes(6));
    verify("Verify the OLD value again: the grace period is over", "pipeline.token", first[0],
        RejectReason.BAD_SECRET);
    verify("Verify the NEW value: still valid", "pipeline-rotated.token", second[0], null);
    run("List the key's tokens: metadata only, values are never shown again",
        List.of("tokens", "list", ciKey.toString()),
        () -> manager.listTokens(system, ciKey, PageRequest.first()).items().stream()
            .map(t -> t.ref().id() + " (" + Views.state(t, clock.instant()) + ", expires "
                + (t.expiresAt() == null ? "never" : t.expiresAt().toString()) + ", lookup id " + t.lookupId() + ")")
            .collect(Collectors.joining("; ")));
    run("Disable the service account ci_bot",
        List.of("service-accounts", "disable", "acme/ci_bot"),
        () -> "enabled=" + manager.setEnabled(system, ciBot, false).enabled());
    verify("Verify the new value: a disabled principal's tokens stop at once", "pipeline-rotated.token", second[0],
        RejectReason.DISABLED);
    run("Enable ci_bot again",
        List.of("service-accounts", "enable", "acme/ci_bot"),
        () -> "enabled=" + manager.setEnabled(system, ciBot, true).enabled());
    verify("Verify the new value: valid again", "pipeline-rotated.token", second[0], null);
    run("Edit the token's name and expiry (never its identifier or value)",
        List.of("tokens", "edit", pipeline.toString(), "--name", "Deploy pipeline", "--expires", "30d"),
        () -> {
          Token t = manager.editToken(system, pipeline,
              TokenEdit.none().name("Deploy pipeline").expiration(Expiration.after(Duration.ofDays(30))));
          return "renamed to '" + t.name() + "', now expires " + t.expiresAt();
        });
    run("Revoke the token",
        List.of("tokens", "revoke", pipeline.toString()),
        () -> "state " + Views.state(manager.revokeToken(system, pipeline), clock.instant()));
    verify("Verify the new value: revoked tokens never verify again", "pipeline-rotated.token", second[0],
        RejectReason.REVOKED);

    ApiKeyRef laptop = bob.apiKey("laptop");
    String[] personal = new String[1];
    run("Bob creates a personal API key (personal keys live at account scope)",
        List.of("--as", "acme/user/bob", "keys", "create", laptop.toString(), "--name", "Laptop"),
        () -> "created " + manager.createApiKey(asBob, NewApiKey.of(bob, "laptop", "Laptop")).ref()
            + " at scope acme");
    run("Bob issues himself a token that expires in 1 hour",
        List.of("--as", "acme/user/bob", "tokens", "issue", laptop.token("cli").toString(), "--expires", "1h"),
        () -> {
          IssuedToken issued = manager.issueToken(asBob, NewToken.of(laptop, "cli", "CLI")
              .expiring(Expiration.after(Duration.ofHours(1))));
          personal[0] = issued.value().reveal();
          return "issued a personal access token (kind 'pat'), shown this once: " + personal[0];
        });
    verify("Verify Bob's token: it carries Bob's (empty) permissions", "bob.token", personal[0], null);
    refused("Bob tries to issue a token under ci_bot's key (he may manage only his own keys)",
        List.of("--as", "acme/user/bob", "tokens", "issue", ciKey.token("sneaky").toString()),
        () -> manager.issueToken(asBob, NewToken.of(ciKey, "sneaky", "Sneaky")));
    pass("Two hours pass (simulated)", Duration.ofHours(2));
    verify("Verify Bob's token: expired", "bob.token", personal[0], RejectReason.EXPIRED);

    String[] nightly = new String[1];
    run("Issue another token 'nightly' under ci_key",
        List.of("tokens", "issue", ciKey.token("nightly").toString(), "--name", "Nightly"),
        () -> {
          IssuedToken issued = manager.issueToken(system, NewToken.of(ciKey, "nightly", "Nightly"));
          nightly[0] = issued.value().reveal();
          return "issued with the default lifetime, expires " + issued.token().expiresAt()
              + "; shown this once: " + nightly[0];
        });
    verify("Verify 'nightly'", "nightly.token", nightly[0], null);
    run("Delete the API key ci_key with all its tokens",
        List.of("keys", "delete", ciKey.toString()),
        () -> {
          manager.deleteApiKey(system, ciKey);
          return "deleted " + ciKey;
        });
    verify("Verify 'nightly': its key is gone, so is the token", "nightly.token", nightly[0], RejectReason.UNKNOWN);
    run("Delete the account acme with everything in it",
        List.of("accounts", "delete", "acme", "--yes"),
        () -> {
          manager.deleteAccount(system, "acme");
          return "deleted; accounts left: " + manager.listAccounts(system, PageRequest.first()).items().size();
        });
  }

  private void run(String title, List<String> args, Supplier<String> action) {
    String outcome;
    boolean ok;
    try {
      outcome = action.get();
      ok = true;
    } catch (LatchkeyException e) {
      outcome = "UNEXPECTED " + e.getClass().getSimpleName() + ": " + e.getMessage();
      ok = false;
    }
    record(title, args, null, outcome, ok);
  }

  private void refused(String title, List<String> args, Runnable action) {
    String outcome;
    boolean ok;
    try {
      action.run();
      outcome = "UNEXPECTED: it was allowed";
      ok = false;
    } catch (PermissionDeniedException e) {
      outcome = "refused as expected (the CLI exits with " + ExitCodes.PERMISSION_DENIED + "): " + e.getMessage();
      ok = true;
    } catch (LatchkeyException e) {
      outcome = "UNEXPECTED " + e.getClass().getSimpleName() + ": " + e.getMessage();
      ok = false;
    }
    record(title, args, null, outcome, ok);
  }

  /** Verifies and checks the outcome: valid when {@code expected} is null, else rejected for that reason. */
  private void verify(String title, String tokenFile, String token, RejectReason expected) {
    VerificationResult result = session.verifier().verify(token);
    String outcome;
    boolean ok;
    if (result instanceof Verified v) {
      outcome = "valid: principal " + v.principal() + ", scope " + v.scope() + ", roles "
          + Output.text(v.roles()) + ", permissions " + Output.text(v.permissions());
      ok = expected == null;
    } else {
      RejectReason reason = ((Rejected) result).reason();
      outcome = "rejected (" + reason + ")" + (expected == reason ? ", as expected" : "");
      ok = expected == reason;
    }
    if (!ok) {
      outcome = "UNEXPECTED " + outcome + " (expected " + (expected == null ? "valid" : expected) + ")";
    }
    record(title, List.of("tokens", "verify"), tokenFile, outcome, ok);
  }

  private void pass(String title, Duration d) {
    clock.advance(d);
    record(title, List.of(), null, "the clock is now " + clock.instant(), true);
  }

  private void record(String title, List<String> args, String stdin, String outcome, boolean ok) {
    Step step = new Step(steps.size() + 1, title, args, stdin, outcome, ok);
    steps.add(step);
    if (!out.json()) {
      text.println(String.format("%2d. %s", step.number(), title));
      if (!args.isEmpty()) {
        text.println("    $ " + step.command());
      }
      text.println("    -> " + Output.printable(outcome));
      text.flush();
    }
  }

  private static Map<String, Object> stepView(Step s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", s.number());
    m.put("title", s.title());
    m.put("command", s.args().isEmpty() ? null : s.command());
    m.put("args", s.args());
    m.put("outcome", s.outcome());
    m.put("ok", s.ok());
    return m;
  }

  /** The token with its last character changed, so that its checksum no longer matches. */
  private static String tamper(String token) {
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
  }

  static String shellQuote(String arg) {
    if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "_-./:=@%+,".indexOf(c) >= 0)) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
