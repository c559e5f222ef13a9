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
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parsing of command-line values. Every failure is a {@link TypeConversionException} whose message
 * says what was expected, so picocli reports it as a usage error (exit code 2) naming the option.
 */
final class Values {
  static final String DURATION_HELP = "use e.g. 90d, 12h, 30m, 45s, 2w, 1d12h or ISO-8601 like PT12H or P90D";
  static final String EXPIRY_HELP = "use a date (2027-01-31, meaning 00:00 UTC that day), an instant"
      + " (2027-01-31T12:00:00Z or with an offset like +02:00), a lifetime from now (90d, PT12H) or 'never'";

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(?:\\d{1,9}[wdhms])+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,9})([wdhms])");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern US_DATE = Pattern.compile("\\d{1,2}/\\d{1,2}/\\d{4}");

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

  /** An expiry: a date, an instant, a lifetime from now, or {@code never}. */
  static Expiration expiration(String text) {
    if (text == null || text.isEmpty()) {
      throw new TypeConversionException("an expiry is required; " + EXPIRY_HELP);
    }
    if (text.equalsIgnoreCase("never")) {
      return Expiration.never();
    }
    if (US_DATE.matcher(text).matches()) {
      throw new TypeConversionException("'" + text + "' is ambiguous; write dates as ISO year-month-day,"
          + " e.g. 2027-01-31");
    }
    try {
      if (DATE.matcher(text).matches()) {
        return Expiration.at(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      if (text.length() > 10 && text.length() <= 64 && text.charAt(10) == 'T') {
        if (text.endsWith("Z") || text.endsWith("z")) {
          return Expiration.at(Instant.parse(text.toUpperCase(Locale.ROOT)));
        }
        if (!text.substring(10).contains("+") && !text.substring(10).contains("-")) {
          throw new TypeConversionException("'" + text + "' has no time zone; add Z (UTC) or an offset like +02:00");
        }
        return Expiration.at(OffsetDateTime.parse(text).toInstant());
      }
    } catch (DateTimeException e) {
      throw new TypeConversionException("'" + shorten(text) + "' is not a valid date or instant; " + EXPIRY_HELP);
    }
    try {
      return Expiration.after(positiveDuration(text));
    } catch (TypeConversionException e) {
      throw new TypeConversionException("'" + shorten(text) + "' is not an expiry; " + EXPIRY_HELP);
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

  // ---- picocli converters (each wraps the core's InvalidArgumentException into a usage error)

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

  static final class ExpirationConverter implements ITypeConverter<Expiration> {
    @Override
    public Expiration convert(String value) {
      return expiration(value);
    }
  }

  static final class PrincipalConverter implements ITypeConverter<PrincipalRef> {
    @Override
    public PrincipalRef convert(String value) {
      try {
        return PrincipalRef.parse(value);
      } catch (InvalidArgumentException e) {
        throw new TypeConversionException(e.getMessage() + " (e.g. acme/user/alice or acme/sa/ci_bot)");
      }
    }
  }

  static final class ApiKeyConverter implements ITypeConverter<ApiKeyRef> {
    @Override
    public ApiKeyRef convert(String value) {
      try {
        return ApiKeyRef.parse(value);
      } catch (InvalidArgumentException e) {
        throw new TypeConversionException(e.getMessage() + " (e.g. acme/sa/ci_bot/ci_key)");
      }
    }
  }

  static final class TokenConverter implements ITypeConverter<TokenRef> {
    @Override
    public TokenRef convert(String value) {
      try {
        return TokenRef.parse(value);
      } catch (InvalidArgumentException e) {
        throw new TypeConversionException(e.getMessage() + " (e.g. acme/sa/ci_bot/ci_key/pipeline)");
      }
    }
  }

  static final class ScopeConverter implements ITypeConverter<Scope> {
    @Override
    public Scope convert(String value) {
      try {
        return Scope.parse(value);
      } catch (InvalidArgumentException e) {
        throw new TypeConversionException(e.getMessage() + " (e.g. acme, acme/platform or acme/platform/deploys)");
      }
    }
  }

  static final class AccountIdConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return Scope.account(value).accountId();
      } catch (InvalidArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
