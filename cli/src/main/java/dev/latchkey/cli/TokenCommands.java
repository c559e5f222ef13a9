package dev.latchkey.cli;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Limits;
import dev.latchkey.NewToken;
import dev.latchkey.PageRequest;
import dev.latchkey.RejectReason;
import dev.latchkey.IpAddress;
import dev.latchkey.Rejected;
import dev.latchkey.RequestContext;
import dev.latchkey.Restriction;
import dev.latchkey.Rotation;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.VerificationResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens",
    description = "Tokens: the credentials under an API key. A value is shown once, at issue or rotation.",
    subcommands = {
        TokenCommands.Issue.class,
        TokenCommands.ListTokens.class,
        TokenCommands.Get.class,
        TokenCommands.Edit.class,
        TokenCommands.Rotate.class,
        TokenCommands.Revoke.class,
        TokenCommands.Delete.class,
        TokenCommands.Verify.class,
        TokenCommands.Expiring.class})
final class TokenCommands extends Group {
  static final List<Output.Column> COLUMNS = List.of(
      new Output.Column("TOKEN", "id"),
      new Output.Column("STATE", "state"),
      new Output.Column("EXPIRES", "expiresAt"),
      new Output.Column("LAST USED", "lastUsedAt"),
      new Output.Column("LAST USED FROM", "lastUsedFrom"),
      new Output.Column("RESTRICTION", "restricted"),
      new Output.Column("RATE LIMIT", "rateLimit"),
      new Output.Column("NAME", "name"));
  static final List<Output.Column> EXPIRING_COLUMNS = List.of(
      new Output.Column("TOKEN", "path"), new Output.Column("EXPIRES", "expiresAt"),
      new Output.Column("NOTIFIED", "notified"), new Output.Column("NAME", "name"));
  /** Longer than any token of any prefix; a bigger input is not a token. */
  static final int MAX_TOKEN_INPUT = 4096;

  abstract static class OnToken extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<token>",
        description = "The token's path: account/user|sa/principal/key/token, e.g. acme/sa/ci_bot/ci_key/pipeline.")
    TokenRef ref;
  }

  /** Where a new token value goes: standard output (default) or a new owner-only file. */
  static final class ValueDestination {
    @Option(names = "--out-file", paramLabel = "<path>",
        description = "Write the token value to this new file (mode 600) instead of printing it. Never overwrites.")
    Path outFile;

    void check() {
      if (outFile != null) {
        SecretFile.checkUsable(outFile);
      }
    }

    /** Runs {@code action} and delivers the value it returns, printing the token's metadata too. */
    int deliver(Output out, Instant now, String verb, java.util.function.Supplier<IssuedToken> action,
        Runnable afterMetadata) {
      SecretFile file = outFile == null ? null : SecretFile.reserve(outFile);
      IssuedToken issued;
      try {
        issued = action.get();
      } catch (RuntimeException e) {
        if (file != null) {
          file.discardIfEmpty();
        }
        throw e;
      }
      // The value: revealed exactly once, here.
      String value = issued.value().reveal();
      if (file != null) {
        file.write(value);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("token", Views.token(issued.token(), now));
      if (file != null) {
        doc.put("valueFile", file.path().toAbsolutePath().toString());
      } else {
        doc.put("value", value);
      }
      if (out.json()) {
        out.object(doc);
        return ExitCodes.OK;
      }
      out.say(verb + " token " + issued.ref() + ".");
      out.object(Views.token(issued.token(), now));
      afterMetadata.run();
      out.say("");
      if (issued.token().rotatedAt() != null) {
        Instant until = issued.token().previousValidUntil();
        out.say(until != null
            ? "The old value keeps working until " + Output.text(until) + " (grace period)."
            : "The old value no longer works.");
      }
      if (file != null) {
        out.say("The token value was written to " + file.path() + " (readable by you only).");
        out.say("It is not shown here and cannot be retrieved again.");
      } else {
        out.say("This is the only time the token value is shown. Store it securely now:");
        out.say("");
        out.say(value);
      }
      return ExitCodes.OK;
    }
  }

  /** What {@code --expires} accepts, for the options' descriptions. */
  static final String EXPIRES_FORMS = "A date, 12/31/2026 (mm/dd/yyyy) or 2026-12-31: valid through that day, in UTC"
      + " or --zone; an instant (2026-12-31T12:00:00Z); a lifetime (90d, PT12H); or never.";

  /**
   * Resolves an expiry in the configured time zone and checks it against the limits now, so that an
   * impossible one never opens the database. A limit hint only where raising the limit would help.
   */
  static Expiration checkExpiry(Values.Expiry expiry, Session.Config config) {
    Expiration expiration = expiry.in(config.zone());
    Instant now = config.clock().instant();
    try {
      expiration.resolve(now, null, config.limits());
    } catch (InvalidArgumentException e) {
      // Only two things can be wrong: the expiry is not in the future, or it is beyond the maximum
      // lifetime. Without the maximum, only the first remains; raising the maximum helps only the second.
      boolean beyondMaximum = resolves(expiration, now, config.limits().withoutMaxTokenLifetime());
      String raise = "; --max-token-lifetime changes the maximum";
      if (expiry instanceof Values.Expiry.ThroughDay day) {
        String end = Output.text(day.end(config.zone())) + " (" + zoneName(config.zone()) + ")";
        throw new UsageException(beyondMaximum
            ? "--expires " + day.text() + " (valid through that day: until " + end + ") is beyond the maximum token"
                + " lifetime of " + Output.words(config.limits().maxTokenLifetime()) + " from now" + raise
            : "--expires " + day.text() + " is in the past: a date means valid through that day, which ended at "
                + end + "; choose a later date");
      }
      if (expiration.equals(Expiration.never())) {
        throw new UsageException("--expires never: tokens must expire while the maximum token lifetime is "
            + Output.words(config.limits().maxTokenLifetime())
            + "; --max-token-lifetime none allows tokens that never expire");
      }
      throw new UsageException("--expires: " + e.getMessage() + (beyondMaximum ? raise : ""));
    }
    return expiration;
  }

  private static boolean resolves(Expiration expiration, Instant now, Limits limits) {
    try {
      expiration.resolve(now, null, limits);
      return true;
    } catch (InvalidArgumentException e) {
      return false;
    }
  }

  /** "The token is valid through 12/31/2026 (UTC): it expires at 2027-01-01T00:00:00Z." for a date. */
  static void showDateExpiry(Output out, Values.Expiry expiry, Session.Config config) {
    if (expiry instanceof Values.Expiry.ThroughDay day) {
      out.say("The token is valid through " + day.text() + " (" + zoneName(config.zone()) + "): it expires at "
          + Output.text(day.end(config.zone())) + ".");
    }
  }

  static String zoneName(ZoneId zone) {
    return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  @Command(name = "issue", description = "Issue a token under an API key and show its value once.")
  static final class Issue extends OnToken {
    @Option(names = "--name", paramLabel = "<name>", description = "Display name (default: the identifier).")
    String name;

    @Option(names = "--description", paramLabel = "<text>", description = "Description (up to 1024 characters).")
    String description;

    @Option(names = "--tag", paramLabel = "<key=value>", description = "A tag (repeatable).")
    Map<String, String> tags = Map.of();

    @Option(names = "--expires", paramLabel = "<when>",
        description = EXPIRES_FORMS + " Default: the key's default lifetime, else 90d.")
    Values.Expiry expires;

    @Option(names = "--rate-limit", paramLabel = "<limit>", description = "The token's own rate limit, per node:"
        + " <requests>/<period>[,burst=<n>], period in s, m, h or d, e.g. 100/1m or 10/1s,burst=20."
        + " Its key's limit, if any, applies as well.")
    dev.latchkey.RateLimit rateLimit;

    @Mixin
    ValueDestination destination;

    @Mixin
    RestrictionOptions restriction;

    @Override
    Operation prepare(Session.Config config) {
      NewToken request = new NewToken(ref, name == null ? ref.id() : name, description, tags,
          expires == null ? Expiration.defaultLifetime() : checkExpiry(expires, config), restriction.restriction(),
          rateLimit);
      destination.check();
      return s -> destination.deliver(out(), s.now(), "Issued",
          () -> s.manager().issueToken(s.actor(), request), () -> showDateExpiry(out(), expires, config));
    }
  }

  @Command(name = "rotate", description = "Give a token a new value (shown once); its identifier stays."
      + " The old value keeps working for --grace.")
  static final class Rotate extends OnToken {
    @Option(names = "--grace", paramLabel = "<duration>", defaultValue = "0",
        description = "How long the old value keeps working, e.g. 5m or 1h (default 0: it stops now; at most 7d)."
            + " Never past the token's expiry.")
    Duration grace;

    @Option(names = "--expires", paramLabel = "<when>",
        description = "A new expiry, as for issue; default: keep the current one.")
    Values.Expiry expires;

    @Mixin
    ValueDestination destination;

    @Override
    Operation prepare(Session.Config config) {
      Limits limits = config.limits();
      if (grace.compareTo(limits.maxRotationGrace()) > 0) {
        throw new UsageException("--grace " + Output.words(grace) + " exceeds the maximum of "
            + Output.words(limits.maxRotationGrace()) + "; choose a shorter grace period");
      }
      Rotation rotation = expires == null ? Rotation.withGrace(grace)
          : Rotation.withGrace(grace).expiring(checkExpiry(expires, config));
      destination.check();
      return s -> destination.deliver(out(), s.now(), "Rotated",
          () -> s.manager().rotateToken(s.actor(), ref, rotation), () -> showDateExpiry(out(), expires, config));
    }
  }

  @Command(name = "list", description = "List the tokens of an API key (metadata only; never values).")
  static final class ListTokens extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<key>", description = "The API key, e.g. acme/sa/ci_bot/ci_key.")
    ApiKeyRef key;

    @Mixin
    PageOptions page;

    @Override
    Operation prepare(Session.Config config) {
      PageRequest request = page.request();
      return listing(COLUMNS, s -> Views.tokens(s.reads().tokens(key, request), s.now()));
    }
  }

  @Command(name = "get", description = "Show a token's metadata (never its value).")
  static final class Get extends OnToken {
    @Override
    Operation prepare(Session.Config config) {
      return show(s -> Views.token(s.reads().token(ref), s.now()));
    }
  }

  @Command(name = "edit", description = "Change a token's name, description, tags, expiry, restriction or rate limit"
      + " (never its identifier or value). --tag replaces all tags; each restriction option replaces that part of"
      + " the restriction. Narrowing takes effect at once, like a revocation.")
  static final class Edit extends OnToken {
    @Option(names = "--name", paramLabel = "<name>", description = "New display name.")
    String name;

    @Option(names = "--description", paramLabel = "<text>", description = "New description.")
    String description;

    @Option(names = "--tag", paramLabel = "<key=value>", description = "A tag (repeatable); replaces all tags.")
    Map<String, String> tags = Map.of();

    @Option(names = "--clear-tags", description = "Remove every tag.")
    boolean clearTags;

    @Option(names = "--expires", paramLabel = "<when>", description = "New expiry, as for issue.")
    Values.Expiry expires;

    @Option(names = "--rate-limit", paramLabel = "<limit>", description = "The token's own rate limit, per node:"
        + " <requests>/<period>[,burst=<n>], period in s, m, h or d, e.g. 100/1m or 10/1s,burst=20."
        + " Its key's limit, if any, applies as well.")
    dev.latchkey.RateLimit rateLimit;

    @Option(names = "--no-rate-limit", description = "Remove the token's own rate limit.")
    boolean noRateLimit;

    @Mixin
    RestrictionOptions restriction;

    @Override
    Operation prepare(Session.Config config) {
      TokenEdit edit = TokenEdit.none();
      if (restriction.given()) {
        restriction.applyTo(Restriction.NONE); // usage errors now, before the database is opened
      }
      if (name != null) {
        edit = edit.name(name);
      }
      if (description != null) {
        edit = edit.description(description);
      }
      if (replaces("--tag", !tags.isEmpty(), "tags", clearTags)) {
        edit = edit.tags(tags);
      }
      if (expires != null) {
        edit = edit.expiration(checkExpiry(expires, config));
      }
      if (rateLimit != null && noRateLimit) {
        throw new UsageException("give either --rate-limit or --no-rate-limit, not both");
      }
      if (rateLimit != null) {
        edit = edit.rateLimit(rateLimit);
      }
      if (noRateLimit) {
        edit = edit.noRateLimit();
      }
      if (edit.equals(TokenEdit.none()) && !restriction.given()) {
        throw new UsageException("nothing to change: give --name, --description, --tag, --clear-tags, --expires,"
            + " --rate-limit, --no-rate-limit or a restriction option (--only-permissions, --no-permissions,"
            + " --only-roles, --allow-from, --clear-restriction)");
      }
      TokenEdit labels = edit;
      return s -> {
        TokenEdit change = restriction.given()
            ? labels.restriction(restriction.applyTo(s.reads().token(ref).restriction()))
            : labels;
        Token t = s.manager().editToken(s.actor(), ref, change);
        done("Updated token " + t.ref() + ".", Views.token(t, s.now()));
        showDateExpiry(out(), expires, config);
        return ExitCodes.OK;
      };
    }
  }

  @Command(name = "revoke", description = "Revoke a token: it stays listed but never works again.")
  static final class Revoke extends OnToken {
    @Override
    Operation prepare(Session.Config config) {
      return s -> {
        Token t = s.manager().revokeToken(s.actor(), ref);
        return done("Revoked token " + t.ref() + "; it no longer works.", Views.token(t, s.now()));
      };
    }
  }

  @Command(name = "delete", description = "Delete a token: it stops working and is no longer listed.")
  static final class Delete extends OnToken {
    @Override
    Operation prepare(Session.Config config) {
      return deletion("token", ref, s -> s.manager().deleteToken(s.actor(), ref));
    }
  }

  @Command(name = "verify", description = {
      "Verify a token as an application would, and show whom it authenticates.",
      "The token is read from --token-file, else from standard input (typed without echo on a terminal),",
      "never from the command line. Exit code 0 when valid, 1 when rejected."})
  static final class Verify extends StoreCommand {
    @Option(names = "--token-file", paramLabel = "<path>", description = "Read the token from this file's first line.")
    Path tokenFile;

    @Option(names = "--record-use", description = "Count this check as a use: set the token's last-used time"
        + " (by default an operator's check leaves it as it is).")
    boolean recordUse;

    @Option(names = "--from", paramLabel = "<address>",
        description = "Check as if presented from this IPv4/IPv6 address (for tokens with an allow-list; without"
            + " it such a token is rejected as ADDRESS_NOT_ALLOWED). An address literal; host names are refused.")
    String from;

    @Override
    boolean recordsLastUsed() {
      return recordUse;
    }

    @Override
    Operation prepare(Session.Config config) {
      RequestContext context;
      try {
        context = from == null ? RequestContext.NONE : RequestContext.from(IpAddress.parse(from));
      } catch (InvalidArgumentException e) {
        throw new UsageException("--from: " + e.getMessage());
      }
      String token = readToken();
      return s -> {
        VerificationResult result = s.verifier().verify(token, context);
        Map<String, Object> view = Views.verification(result);
        out().say(result.isValid() ? "The token is valid." : "The token was rejected.");
        out().object(view);
        if (result instanceof Rejected r && r.reason() == RejectReason.STORE_ERROR) {
          return ExitCodes.STORE; // the database failed; the token may well be valid
        }
        return result.isValid() ? ExitCodes.OK : ExitCodes.REJECTED_OR_NOT_FOUND;
      };
    }

    private String readToken() {
      Cli cli = root().cli();
      String token;
      if (tokenFile != null) {
        try (InputStream in = Files.newInputStream(tokenFile)) {
          token = firstLine(in);
        } catch (NoSuchFileException e) {
          throw new UsageException("--token-file " + tokenFile + " does not exist");
        } catch (IOException e) {
          throw new UsageException("cannot read --token-file " + tokenFile + ": " + FileProblems.describe(e));
        }
      } else if (cli.console().isPresent()) {
        char[] typed = cli.console().get().readPassword("Token (input hidden): ");
        token = typed == null ? "" : new String(typed);
      } else {
        try {
          token = firstLine(cli.in());
        } catch (IOException e) {
          throw new UsageException("cannot read the token from standard input: " + FileProblems.describe(e));
        }
      }
      if (token.isEmpty()) {
        throw new UsageException("no token given: pipe it on standard input or pass --token-file <path>");
      }
      return token;
    }

    /** The first line, without its line break; nothing else is changed (tokens are never normalised). */
    private static String firstLine(InputStream in) throws IOException {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = reader.read()) != -1 && c != '\n') {
        if (sb.length() >= MAX_TOKEN_INPUT) {
          break; // longer than any token: verification rejects it as malformed
        }
        sb.append((char) c);
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
        sb.setLength(sb.length() - 1);
      }
      return sb.toString();
    }
  }

  @Command(name = "expiring", description = {"List active tokens, across all accounts, that expire within a period"
      + " (system actor only).", "NOTIFIED (JSON: notified) lists the expiry-notice thresholds already sent for"
      + " each token's current expiry, e.g. 30d, 7d."})
  static final class Expiring extends StoreCommand {
    @Option(names = "--within", paramLabel = "<duration>", defaultValue = "30d",
        description = "The period from now (default ${DEFAULT-VALUE}).")
    Duration within;

    @Mixin
    PageOptions page;

    @Override
    Operation prepare(Session.Config config) {
      if (within.isZero()) {
        throw new UsageException("--within must be longer than zero, e.g. 30d");
      }
      PageRequest request = page.request();
      return listing(EXPIRING_COLUMNS, s -> {
        Instant now = s.now();
        Reads reads = s.reads();
        return reads.tokensExpiringBetween(now, now.plus(within), request)
            .map(t -> Views.expiringToken(t, now, reads.expiryNoticesSent(t)));
      });
    }
  }
}
