package dev.latchkey.web;

import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RateLimit;
import dev.latchkey.Restriction;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * JSON request bodies to Latchkey's request values ({@link NewUser}, {@link TokenEdit}, ...): one of
 * the two classes (with {@link Representations}) that know both sides, so a change to the value
 * types is an edit here. The values are built with their own factories ({@code NewToken.of(...)
 * .withTags(...)}) rather than their canonical constructors, so that a change of their optional
 * components touches this class little or not at all. Every check the value types make themselves (identifiers, name lengths,
 * tags) is left to them; their {@code InvalidArgumentException} becomes a 400 like the checks here.
 */
final class Inputs {
  private static final Pattern US_DATE = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private Inputs() {}

  // ---- principals

  static NewUser newUser(String accountId, Body b) {
    b.only("id", "name", "description", "roles", "permissions");
    return NewUser.of(accountId, b.string("id"), b.string("name"))
        .withDescription(b.optString("description").orElse(""))
        .withRoles(b.optStringSet("roles").orElse(Set.of()))
        .withPermissions(b.optStringSet("permissions").orElse(Set.of()));
  }

  static NewServiceAccount newServiceAccount(String accountId, Body b) {
    b.only("id", "name", "description", "scope", "roles", "permissions");
    Scope scope = b.optString("scope").map(Scope::parse).orElse(Scope.account(accountId));
    if (!scope.accountId().equals(accountId)) {
      throw Problem.invalid("scope " + scope + " is not in account " + accountId
          + "; a service account's scope is the account, account/org or account/org/project");
    }
    return NewServiceAccount.of(scope, b.string("id"), b.string("name"))
        .withDescription(b.optString("description").orElse(""))
        .withRoles(b.optStringSet("roles").orElse(Set.of()))
        .withPermissions(b.optStringSet("permissions").orElse(Set.of()));
  }

  static PrincipalEdit principalEdit(Body b) {
    b.only("name", "description", "roles", "permissions");
    requireSomething(b, "name, description, roles or permissions");
    PrincipalEdit edit = PrincipalEdit.none();
    edit = b.optString("name").map(edit::name).orElse(edit);
    edit = b.optString("description").map(edit::description).orElse(edit);
    edit = b.optStringSet("roles").map(edit::roles).orElse(edit);
    return b.optStringSet("permissions").map(edit::permissions).orElse(edit);
  }

  // ---- API keys

  static NewApiKey newApiKey(PrincipalRef owner, Body b) {
    b.only("id", "name", "description", "tags", "defaultTokenLifetime", "restriction", "rateLimit");
    NewApiKey key = NewApiKey.of(owner, b.string("id"), b.string("name"))
        .withDescription(b.optString("description").orElse(""))
        .withTags(b.optStringMap("tags").orElse(Map.of()))
        .restrictedTo(newRestriction(b));
    key = b.optString("defaultTokenLifetime").map(t -> duration("defaultTokenLifetime", t))
        .map(key::withDefaultTokenLifetime).orElse(key);
    RateLimit limit = newRateLimit(b);
    return limit == null ? key : key.withRateLimit(limit);
  }

  static ApiKeyEdit apiKeyEdit(Body b) {
    b.only("name", "description", "tags", "restriction", "rateLimit");
    requireSomething(b, "name, description, tags, restriction or rateLimit");
    ApiKeyEdit edit = ApiKeyEdit.none();
    edit = b.optString("name").map(edit::name).orElse(edit);
    edit = b.optString("description").map(edit::description).orElse(edit);
    edit = b.optStringMap("tags").map(edit::tags).orElse(edit);
    return credentialEdits(b, edit, ApiKeyEdit::restriction, ApiKeyEdit::noRateLimit, ApiKeyEdit::rateLimit);
  }

  // ---- tokens

  static NewToken newToken(ApiKeyRef key, Body b) {
    b.only("id", "name", "description", "tags", "expiration", "restriction", "rateLimit");
    NewToken token = NewToken.of(key, b.string("id"), b.string("name"))
        .withDescription(b.optString("description").orElse(""))
        .withTags(b.optStringMap("tags").orElse(Map.of()))
        .expiring(b.optObject("expiration").map(Inputs::expiration).orElse(Expiration.defaultLifetime()))
        .restrictedTo(newRestriction(b));
    RateLimit limit = newRateLimit(b);
    return limit == null ? token : token.withRateLimit(limit);
  }

  static TokenEdit tokenEdit(Body b) {
    b.only("name", "description", "tags", "expiration", "restriction", "rateLimit");
    requireSomething(b, "name, description, tags, expiration, restriction or rateLimit");
    TokenEdit edit = TokenEdit.none();
    edit = b.optString("name").map(edit::name).orElse(edit);
    edit = b.optString("description").map(edit::description).orElse(edit);
    edit = b.optStringMap("tags").map(edit::tags).orElse(edit);
    edit = b.optObject("expiration").map(Inputs::expiration).map(edit::expiration).orElse(edit);
    return credentialEdits(b, edit, TokenEdit::restriction, TokenEdit::noRateLimit, TokenEdit::rateLimit);
  }

  // ---- restrictions and rate limits

  /**
   * The {@code restriction} and {@code rateLimit} members of a key's or token's edit: left out is
   * unchanged, {@code null} removes, a value replaces the whole.
   */
  private static <E> E credentialEdits(Body b, E edit, BiFunction<E, Restriction, E> restriction,
      UnaryOperator<E> noLimit, BiFunction<E, RateLimit, E> limit) {
    E edited = edit;
    if (b.has("restriction")) {
      edited = restriction.apply(edited, editedRestriction(b));
    }
    if (b.isNull("rateLimit")) {
      edited = noLimit.apply(edited);
    } else if (b.has("rateLimit")) {
      edited = limit.apply(edited, rateLimit(b));
    }
    return edited;
  }

  /** On create and issue: absent or {@code null} is no restriction. */
  private static Restriction newRestriction(Body b) {
    return b.has("restriction") ? editedRestriction(b) : Restriction.NONE;
  }

  /**
   * The member {@code restriction} (present): {@code null} for none, else an object that is the
   * whole new restriction. In it, {@code permissions} and {@code roles} are arrays of names, or
   * {@code null} or left out for "not restricted"; {@code allowedAddresses} is an array of at most
   * {@value Restriction#MAX_ALLOWED_ADDRESSES} CIDR ranges or single addresses (IPv4 or IPv6, never a
   * host name), left out or empty for "from anywhere".
   */
  private static Restriction editedRestriction(Body b) {
    if (b.isNull("restriction")) {
      return Restriction.NONE;
    }
    Body r = b.optObject("restriction").orElseThrow();
    r.only("permissions", "roles", "allowedAddresses");
    Set<String> permissions = r.isNull("permissions") ? null : r.optStringSet("permissions").orElse(null);
    Set<String> roles = r.isNull("roles") ? null : r.optStringSet("roles").orElse(null);
    Set<String> ranges = r.optStringSet("allowedAddresses").orElse(Set.of());
    try {
      return new Restriction(permissions, roles, Restriction.parseRanges(List.copyOf(ranges)));
    } catch (InvalidArgumentException e) {
      throw Problem.invalid("'restriction': " + e.getMessage());
    }
  }

  /** On create and issue: absent or {@code null} is no rate limit. */
  private static @Nullable RateLimit newRateLimit(Body b) {
    return b.has("rateLimit") && !b.isNull("rateLimit") ? rateLimit(b) : null;
  }

  /**
   * The member {@code rateLimit} (present, not null): the text form of {@link RateLimit#parse}
   * ({@code "10/1s"}, {@code "100/1m,burst=150"}), or an object {@code {"requests": 10, "per":
   * "PT1S", "burst": 20}} with {@code per} an ISO-8601 duration of whole seconds and {@code burst}
   * optional (as many as {@code requests}).
   */
  private static RateLimit rateLimit(Body b) {
    Object v = b.optValue("rateLimit").orElseThrow();
    try {
      if (v instanceof String text) {
        return RateLimit.parse(text);
      }
      if (!(v instanceof Map<?, ?>)) {
        throw Problem.invalid("'rateLimit' must be text such as \"100/1m\" or \"10/1s,burst=20\", or an object"
            + " {\"requests\": 10, \"per\": \"PT1S\", \"burst\": 20}");
      }
      Body l = b.optObject("rateLimit").orElseThrow();
      l.only("requests", "per", "burst");
      long requests = l.optLong("requests").orElseThrow(() -> Problem.invalid("'rateLimit.requests' is required"));
      Duration per = duration("rateLimit.per", l.string("per"));
      return new RateLimit(requests, per, l.optLong("burst").orElse(requests));
    } catch (InvalidArgumentException e) {
      throw Problem.invalid("'rateLimit': " + e.getMessage());
    }
  }

  /** {@code grace} defaults to zero: the old value stops at once unless the caller asks for a grace period. */
  static Rotation rotation(Body b) {
    b.only("grace", "expiration");
    Duration grace = b.optString("grace").map(t -> duration("grace", t)).orElse(Duration.ZERO);
    if (grace.isNegative()) {
      throw Problem.invalid("'grace' must not be negative");
    }
    Rotation rotation = Rotation.withGrace(grace);
    return b.optObject("expiration").map(Inputs::expiration).map(rotation::expiring).orElse(rotation);
  }

  static LegacyToken legacyToken(ApiKeyRef key, Body b) {
    b.only("id", "name", "description", "tags", "expiration", "legacyAccountId", "legacyTokenId", "bcryptHash");
    TokenRef ref = key.token(b.string("id"));
    return new LegacyToken(ref, b.string("name"), b.optString("description").orElse(""),
        b.optStringMap("tags").orElse(Map.of()),
        b.optObject("expiration").map(Inputs::expiration).orElse(Expiration.defaultLifetime()),
        b.string("legacyAccountId"), b.string("legacyTokenId"), b.string("bcryptHash"));
  }

  /**
   * One of: {@code {"at": "2026-12-31T17:00:00Z"}}; {@code {"date": "12/31/2026"}} (the product
   * documentation's mm/dd/yyyy, or 2026-12-31), valid through that whole day in {@code timeZone}
   * (default UTC), as the CLI's {@code --expires}; {@code {"after": "P30D"}}; {@code {"never": true}}.
   */
  static Expiration expiration(Body e) {
    e.only("at", "date", "timeZone", "after", "never");
    int given = (e.has("at") ? 1 : 0) + (e.has("date") ? 1 : 0) + (e.has("after") ? 1 : 0) + (e.has("never") ? 1 : 0);
    if (given != 1) {
      throw Problem.invalid("'expiration' takes exactly one of 'at', 'date', 'after' or 'never'");
    }
    if (e.has("timeZone") && !e.has("date")) {
      throw Problem.invalid("'expiration.timeZone' goes with 'expiration.date' only");
    }
    if (e.has("at")) {
      return Expiration.at(instant("expiration.at", e.string("at")));
    }
    if (e.has("after")) {
      return Expiration.after(positive("expiration.after", duration("expiration.after", e.string("after"))));
    }
    if (e.has("never")) {
      if (!e.optBoolean("never").orElseThrow()) {
        throw Problem.invalid("'expiration.never' can only be true; leave 'expiration' out for the default lifetime");
      }
      return Expiration.never();
    }
    LocalDate lastDay = date("expiration.date", e.string("date"));
    ZoneId zone = e.optString("timeZone").map(Inputs::zone).orElse(ZoneOffset.UTC);
    return Expiration.at(lastDay.plusDays(1).atStartOfDay(zone).toInstant());
  }

  // ---- scalars

  /** An ISO-8601 duration of days, hours, minutes and seconds ({@code PT5M}, {@code P30D}). */
  static Duration duration(String name, String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.invalid("'" + name + "' must be an ISO-8601 duration such as PT5M, PT24H or P30D (was '"
          + Body.shorten(text) + "')");
    }
  }

  private static Duration positive(String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw Problem.invalid("'" + name + "' must be positive");
    }
    return d;
  }

  /** An ISO-8601 instant with an offset: {@code 2026-12-31T23:00:00Z} or {@code ...+02:00}. */
  static Instant instant(String name, String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.invalid("'" + name + "' must be an ISO-8601 instant such as 2026-12-31T23:00:00Z (was '"
          + Body.shorten(text) + "')");
    }
  }

  /** mm/dd/yyyy (a leading zero is optional), as the product documentation writes dates, or yyyy-mm-dd. */
  static LocalDate date(String name, String text) {
    try {
      Matcher us = US_DATE.matcher(text);
      if (us.matches()) {
        return LocalDate.of(Integer.parseInt(us.group(3)), Integer.parseInt(us.group(1)), Integer.parseInt(us.group(2)));
      }
      if (ISO_DATE.matcher(text).matches()) {
        return LocalDate.parse(text);
      }
    } catch (DateTimeException e) {
      throw Problem.invalid("'" + name + "' is not a valid date (was '" + Body.shorten(text) + "')");
    }
    throw Problem.invalid("'" + name + "' must be a date as mm/dd/yyyy (12/31/2026) or yyyy-mm-dd (was '"
        + Body.shorten(text) + "')");
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw Problem.invalid("'expiration.timeZone' must be a time zone such as Europe/Berlin, America/New_York,"
          + " UTC or +02:00 (was '" + Body.shorten(text) + "')");
    }
  }

  private static void requireSomething(Body b, String what) {
    if (b.isEmpty()) {
      throw Problem.invalid("nothing to change: give at least one of " + what);
    }
  }
}
