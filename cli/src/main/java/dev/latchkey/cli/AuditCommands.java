package dev.latchkey.cli;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditQuery;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.PageRequest;
import dev.latchkey.PrincipalRef;
import dev.latchkey.TokenRef;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "The audit trail: every management change, as kept by the store.",
    subcommands = {AuditCommands.ListEvents.class})
final class AuditCommands extends Group {
  static final List<Output.Column> COLUMNS = List.of(
      new Output.Column("AT", "at"), new Output.Column("ACTION", "action"), new Output.Column("ACTOR", "actor"),
      new Output.Column("TARGET", "target"), new Output.Column("DETAILS", "details"));
  static final String TIME_HELP = "an instant (2030-01-31T12:00:00Z), a date (2030-01-31: its start, in --zone),"
      + " or a duration meaning that long ago (24h, 7d)";

  @Command(name = "list", description = {"List audit events, newest first.",
      "Filters combine (all must match). --principal, --key and --token select events on that entity and,"
          + " for a principal or key, on everything under it. As the system actor every account is readable;"
          + " with --as, a principal reads its own account if it is an account admin, otherwise only the events"
          + " of a principal it may view (name it with --principal, --key or --token)."})
  static final class ListEvents extends StoreCommand {
    @Option(names = "--account", paramLabel = "<account>", description = "Events in this account.")
    Values.AccountId account;

    @Option(names = "--principal", paramLabel = "<principal>",
        description = "Events on this principal, its keys and tokens (e.g. acme/sa/ci_bot).")
    PrincipalRef principal;

    @Option(names = "--key", paramLabel = "<key>", description = "Events on this API key and its tokens.")
    ApiKeyRef key;

    @Option(names = "--token", paramLabel = "<token>", description = "Events on this token.")
    TokenRef token;

    @Option(names = "--since", paramLabel = "<time>", description = "Events at or after: " + TIME_HELP + ".")
    String since;

    @Option(names = "--until", paramLabel = "<time>", description = "Events before: " + TIME_HELP + ".")
    String until;

    @Mixin
    PageOptions page;

    @Override
    Operation prepare(Session.Config config) {
      Function<Instant, Instant> from = since == null ? null : time("--since", since, config.zone());
      Function<Instant, Instant> to = until == null ? null : time("--until", until, config.zone());
      AuditQuery base = AuditQuery.all();
      try {
        if (account != null) {
          base = base.account(account.id());
        }
        if (principal != null) {
          base = base.principal(principal);
        }
        if (key != null) {
          base = base.apiKey(key);
        }
        if (token != null) {
          base = base.token(token);
        }
      } catch (InvalidArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      AuditQuery filters = base;
      PageRequest request = page.request();
      return listing(COLUMNS, s -> {
        Instant now = s.now();
        AuditQuery q = filters;
        try {
          if (from != null) {
            q = q.since(from.apply(now));
          }
          if (to != null) {
            q = q.until(to.apply(now));
          }
        } catch (InvalidArgumentException e) {
          throw new UsageException(e.getMessage());
        }
        return s.reads().auditEvents(q, request).map(Views::auditEvent);
      });
    }

    /** Parses a time option now; the instant is fixed when the command runs (a duration counts back from then). */
    private static Function<Instant, Instant> time(String option, String text, ZoneId zone) {
      try {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
          Instant start = LocalDate.parse(text).atStartOfDay(zone).toInstant();
          return now -> start;
        }
        if (text.length() > 10 && text.length() <= 64 && text.charAt(10) == 'T') {
          Instant at = text.endsWith("Z") || text.endsWith("z")
              ? Instant.parse(text.toUpperCase(Locale.ROOT)) : OffsetDateTime.parse(text).toInstant();
          return now -> at;
        }
      } catch (DateTimeException e) {
        throw new UsageException(option + " '" + Values.shorten(text) + "' is not a valid date or instant; use "
            + TIME_HELP);
      }
      Duration ago;
      try {
        ago = Values.positiveDuration(text);
      } catch (RuntimeException e) {
        throw new UsageException(option + " '" + Values.shorten(text) + "' is not a time; use " + TIME_HELP);
      }
      return now -> now.minus(ago);
    }
  }
}
