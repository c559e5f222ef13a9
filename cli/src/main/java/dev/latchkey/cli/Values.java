package dev.latchkey.cli;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Scope;
import dev.latchkey.TokenRef;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Parsing of command-line values. Every failure is a {@link TypeConversionException} whose message
 * says what was expected, so picocli reports it as a usage error (exit code 2) naming the option.
 */
final class Values {
  static final String DURATION_HELP = "use e.g. 90d, 12h, 30m, 45s, 2w, 1d12h or ISO-8601 like PT12H or P90D";
  static final String EXPIRY_HELP = "use a date, mm/dd/yyyy (12/31/2026) or yyyy-mm-dd (2026-12-31), valid through"
      + " that day; an instant (2026-12-31T12:00:00Z or with an offset like +02:00); a lifetime from now (90d, PT12H);"
      + " or 'never'";
  static final String ZONE_HELP = "use a region like Europe/Berlin or America/New_York, UTC, or an offset like +02:00";

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(?:\\d{1,9}[wdhms])+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,9})([wdhms])");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  /** The product documentation's date format, mm/dd/yyyy (a leading zero is optional). */
  private static final Pattern US_DATE = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
  private static final Pattern SLASHED = Pattern.compile("[0-9/]+/[0-9/]+");

  private Values() {}

  /** A duration of zero or more: {@code 90d}, {@code 1d12h}, {@code PT12H}, {@code 0}. */
  static Duration duration(String text) {
    if (text == null || text.isEmpty()) {
      throw new TypeConversionException("a duration is required; " + DURATION_HELP);
    }
    Duration d;
    try {
      if (text.equals("0")) {
        d = Duration.ZERO;
      } else if (SIMPLE_DURATION.matcher(text).matches()) {
        d = Duration.ZERO;
        Matcher m = DURATION_PART.matcher(text);
        while (m.find()) {
          long n = Long.parseLong(m.group(1));
          d = d.plus(switch (m.group(2)) {
            case "w" -> Duration.ofDays(Math.multiplyExact(n, 7));
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
          });
        }
      } else if (text.length() <= 64 && (text.startsWith("P") || text.startsWith("p"))) {
        d = Duration.parse(text);
      } else {
        throw new TypeConversionException("'" + shorten(text) + "' is not a duration; " + DURATION_HELP);
      }
    } catch (DateTimeException | ArithmeticException e) {
      throw new TypeConversionException("'" + shorten(text) + "' is not a duration; " + DURATION_HELP);
    }
    if (d.isNegative()) {
      throw new TypeConversionException("a duration must not be negative (was " + shorten(text) + "); " + DURATION_HELP);
    }
    return d;
  }

  /** A positive duration. */
  static Duration positiveDuration(String text) {
    Duration d = duration(text);
    if (d.isZero()) {
      throw new TypeConversionException("the duration must be longer than zero; " + DURATION_HELP);
    }
    return d;
  }

  /**
   * What {@code --expires} said. A calendar date becomes an instant only once the time zone is known
   * ({@code --zone}), so it stays a date until the command runs.
   */
  sealed interface Expiry {
    /** As an {@link Expiration} in {@code zone}. */
    Expiration in(ZoneId zone);

    /** Valid through {@code lastDay}, as written: it expires at the start of the next day. */
    record ThroughDay(LocalDate lastDay, String text) implements Expiry {
      @Override
      public Expiration in(ZoneId zone) {
        return Expiration.at(end(zone));
      }

      /** The first instant of the day after {@code lastDay} in {@code zone} (DST-aware). */
      Instant end(ZoneId zone) {
        return lastDay.plusDays(1).atStartOfDay(zone).toInstant();
      }
    }

    /** An instant, a lifetime from now, or never: the zone plays no part. */
    record Exactly(Expiration expiration) implements Expiry {
      @Override
      public Expiration in(ZoneId zone) {
        return expiration;
      }
    }
  }

  /** An expiry: a date (mm/dd/yyyy or yyyy-mm-dd), an instant, a lifetime from now, or {@code never}. */
  static Expiry expiry(String text) {
    if (text == null || text.isEmpty()) {
      throw new TypeConversionException("an expiry is required; " + EXPIRY_HELP);
    }
    if (text.equalsIgnoreCase("never")) {
      return new Expiry.Exactly(Expiration.never());
    }
    Matcher us = US_DATE.matcher(text);
    if (us.matches()) {
      int month = Integer.parseInt(us.group(1));
      int day = Integer.parseInt(us.group(2));
      if (month < 1 || month > 12) {
        throw new TypeConversionException("'" + text + "' is not a date: dates with slashes are mm/dd/yyyy, month"
            + " first (e.g. 12/31/2026 for December 31); or write yyyy-mm-dd");
      }
      try {
        return new Expiry.ThroughDay(LocalDate.of(Integer.parseInt(us.group(3)), month, day), text);
      } catch (DateTimeException e) {
        throw new TypeConversionException("'" + text + "' is not a valid date (mm/dd/yyyy); " + EXPIRY_HELP);
      }
    }
    if (SLASHED.matcher(text).matches()) {
      throw new TypeConversionException("'" + shorten(text) + "' is not a date: dates with slashes are mm/dd/yyyy,"
          + " with a four-digit year (e.g. 12/31/2026)");
    }
    try {
      if (DATE.matcher(text).matches()) {
        return new Expiry.ThroughDay(LocalDate.parse(text), text);
      }
      if (text.length() > 10 && text.length() <= 64 && text.charAt(10) == 'T') {
        if (text.endsWith("Z") || text.endsWith("z")) {
          return new Expiry.Exactly(Expiration.at(Instant.parse(text.toUpperCase(Locale.ROOT))));
        }
        if (!text.substring(10).contains("+") && !text.substring(10).contains("-")) {
          throw new TypeConversionException("'" + text + "' has no time zone; add Z (UTC) or an offset like +02:00");
        }
        return new Expiry.Exactly(Expiration.at(OffsetDateTime.parse(text).toInstant()));
      }
    } catch (DateTimeException e) {
      throw new TypeConversionException("'" + shorten(text) + "' is not a valid date or instant; " + EXPIRY_HELP);
    }
    try {
      return new Expiry.Exactly(Expiration.after(positiveDuration(text)));
    } catch (TypeConversionException e) {
      throw new TypeConversionException("'" + shorten(text) + "' is not an expiry; " + EXPIRY_HELP);
    }
  }

  /** A time zone for {@code --zone} or {@code LATCHKEY_ZONE}; {@code source} names which in the message. */
  static ZoneId zone(String text, String source) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new UsageException(source + " '" + shorten(text) + "' is not a time zone; " + ZONE_HELP);
    }
  }

  /**
   * A user or service account named {@code account/id} or, as printed by the CLI, {@code
   * account/user/id} or {@code account/sa/id}.
   */
  static PrincipalRef principalOfType(String text, PrincipalType type) {
    String segment = type.pathSegment();
    String example = type == PrincipalType.USER ? "acme/alice" : "acme/ci_bot";
    String[] parts = text.split("/", -1);
    try {
      if (parts.length == 2) {
        return new PrincipalRef(parts[0], type, parts[1]);
      }
      if (parts.length == 3) {
        PrincipalRef ref = PrincipalRef.parse(text);
        if (ref.type() == type) {
          return ref;
        }
      }
    } catch (InvalidArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    throw new UsageException("'" + shorten(text) + "' does not name a " + describe(type) + "; write account/id or"
        + " account/" + segment + "/id (e.g. " + example + ")");
  }

  static String describe(PrincipalType type) {
    return type == PrincipalType.USER ? "user" : "service account";
  }

  static String shorten(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < 40; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > 40 ? sb + "..." : sb.toString();
  }

  /** An account identifier, checked when the command line is parsed. */
  record AccountId(String id) {
    @Override
    public String toString() {
      return id;
    }
  }

  /**
   * Registers the parsing of every value type above with the whole command tree, once per type; call
   * it when the tree is complete (picocli copies a converter only to the subcommands it already has).
   * The core's {@link InvalidArgumentException} becomes a usage error with an example.
   */
  static void registerConverters(CommandLine cmd) {
    cmd.registerConverter(Duration.class, Values::duration)
        .registerConverter(Expiry.class, Values::expiry)
        .registerConverter(AccountId.class, v -> new AccountId(parse(Scope::account, v, "").accountId()))
        .registerConverter(Scope.class, v -> parse(Scope::parse, v, "acme, acme/platform or acme/platform/deploys"))
        .registerConverter(PrincipalRef.class, v -> parse(PrincipalRef::parse, v, "acme/user/alice or acme/sa/ci_bot"))
        .registerConverter(ApiKeyRef.class, v -> parse(ApiKeyRef::parse, v, "acme/sa/ci_bot/ci_key"))
        .registerConverter(TokenRef.class, v -> parse(TokenRef::parse, v, "acme/sa/ci_bot/ci_key/pipeline"));
  }

  private static <T> T parse(Function<String, T> parser, String value, String examples) {
    try {
      return parser.apply(value);
    } catch (InvalidArgumentException e) {
      throw new TypeConversionException(e.getMessage() + (examples.isEmpty() ? "" : " (e.g. " + examples + ")"));
    }
  }
}
