package dev.latchkey.jdbc;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.IpAddress;
import dev.latchkey.IpRange;
import dev.latchkey.RateLimit;
import dev.latchkey.Restriction;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Column lists, parameter binding and row mapping. Instants and durations are stored exactly, as
 * epoch seconds ({@code BIGINT}) plus nanoseconds ({@code INTEGER}); an empty optional is two
 * {@code NULL}s.
 */
final class Rows {
  private Rows() {}

  /** A key's or token's restriction (schema version 3): NULL columns restrict nothing. */
  static final String RESTRICTION_COLUMNS = "restrict_permissions, restrict_roles, allowed_addresses";

  static final String ACCOUNT_COLUMNS = "account_id, name, created_s, created_ns";

  static final String PRINCIPAL_COLUMNS = "account_id, principal_type, principal_id, name, description, scope,"
      + " roles, permissions, enabled, created_s, created_ns, version";

  static final String API_KEY_COLUMNS = "account_id, owner_type, owner_id, key_id, name, description, tags, scope,"
      + " default_lifetime_s, default_lifetime_ns, created_s, created_ns, version, " + Rows.RESTRICTION_COLUMNS
      + ", rate_requests, rate_per_s, rate_burst";

  static final String TOKEN_COLUMNS = "account_id, owner_type, owner_id, key_id, token_id, lookup_id, name,"
      + " description, tags, created_s, created_ns, expires_s, expires_ns, status, rotated_s, rotated_ns,"
      + " previous_valid_until_s, previous_valid_until_ns, last_used_s, last_used_ns, hash_scheme, hash_pepper,"
      + " hash_digest, previous_hash_scheme, previous_hash_pepper, previous_hash_digest, version, "
      + Rows.RESTRICTION_COLUMNS + ", rate_requests, rate_per_s, rate_burst, last_used_address";

  /**
   * The verification lookup's select list: the token's columns (qualified {@code t.}) and its key's
   * rate limit ({@code key_rate_*}), from {@code latchkey_token t LEFT JOIN latchkey_api_key k}.
   */
  static final String TOKEN_WITH_KEY_LIMIT_COLUMNS = "t." + TOKEN_COLUMNS.replace(", ", ", t.")
      + ", k.rate_requests AS key_rate_requests, k.rate_per_s AS key_rate_per_s, k.rate_burst AS key_rate_burst";

  static final String CHANGE_COLUMNS = "seq, change_type, subject, changed_s, changed_ns";

  /** Binds parameters left to right. */
  static final class Binder {
    private final PreparedStatement ps;
    private int index;

    Binder(PreparedStatement ps) {
      this.ps = ps;
    }

    Binder string(String value) throws SQLException {
      ps.setString(++index, value);
      return this;
    }

    Binder longValue(long value) throws SQLException {
      ps.setLong(++index, value);
      return this;
    }

    Binder intValue(int value) throws SQLException {
      ps.setInt(++index, value);
      return this;
    }

    Binder bool(boolean value) throws SQLException {
      ps.setBoolean(++index, value);
      return this;
    }

    Binder instant(Instant value) throws SQLException {
      return longValue(value.getEpochSecond()).intValue(value.getNano());
    }

    Binder nullableString(@Nullable String value) throws SQLException {
      if (value == null) {
        ps.setNull(++index, Types.VARCHAR);
        return this;
      }
      return string(value);
    }

    /** Two columns, both NULL for a null instant. */
    Binder nullableInstant(@Nullable Instant value) throws SQLException {
      if (value != null) {
        return instant(value);
      }
      ps.setNull(++index, Types.BIGINT);
      ps.setNull(++index, Types.INTEGER);
      return this;
    }

    Binder nullableDuration(@Nullable Duration value) throws SQLException {
      if (value != null) {
        return longValue(value.getSeconds()).intValue(value.getNano());
      }
      ps.setNull(++index, Types.BIGINT);
      ps.setNull(++index, Types.INTEGER);
      return this;
    }

    /** Three columns: requests, period in seconds, burst; all NULL for none. */
    Binder nullableRateLimit(@Nullable RateLimit limit) throws SQLException {
      if (limit != null) {
        return longValue(limit.requests()).longValue(limit.per().getSeconds()).longValue(limit.burst());
      }
      ps.setNull(++index, Types.BIGINT);
      ps.setNull(++index, Types.BIGINT);
      ps.setNull(++index, Types.BIGINT);
      return this;
    }

    /** The three restriction columns: NULL for what is not restricted. */
    Binder restriction(Restriction r) throws SQLException {
      Set<String> permissions = r.permissions();
      Set<String> roles = r.roles();
      List<String> ranges = r.allowedAddresses().stream().map(IpRange::toString).toList();
      return nullableString(permissions == null ? null : Json.array(permissions))
          .nullableString(roles == null ? null : Json.array(roles))
          .nullableString(ranges.isEmpty() ? null : Json.array(ranges));
    }

    Binder nullableHash(@Nullable CredentialHash h) throws SQLException {
      if (h != null) {
        return string(h.scheme()).intValue(h.pepperVersion()).string(h.payload());
      }
      ps.setNull(++index, Types.VARCHAR);
      ps.setNull(++index, Types.INTEGER);
      ps.setNull(++index, Types.VARCHAR);
      return this;
    }

    /** account_id, principal_type, principal_id */
    Binder principal(PrincipalRef ref) throws SQLException {
      return string(ref.accountId()).string(ref.type().pathSegment()).string(ref.id());
    }

    /** ... owner columns, key_id */
    Binder apiKey(ApiKeyRef ref) throws SQLException {
      return principal(ref.owner()).string(ref.id());
    }

    /** ... owner columns, key_id, token_id */
    Binder token(TokenRef ref) throws SQLException {
      return apiKey(ref.apiKey()).string(ref.id());
    }
  }

  static Binder bind(PreparedStatement ps) {
    return new Binder(ps);
  }

  // ---- mutable column values, in the order of the UPDATE statements' SET lists

  static Binder bindPrincipalValues(Binder b, Principal p) throws SQLException {
    return b.string(p.name()).string(p.description()).string(p.scope().toString()).string(Json.array(p.roles()))
        .string(Json.array(p.permissions())).bool(p.enabled()).instant(p.createdAt()).longValue(p.version());
  }

  static Binder bindApiKeyValues(Binder b, ApiKey k) throws SQLException {
    return b.string(k.name()).string(k.description()).string(Json.object(k.tags())).string(k.scope().toString())
        .nullableDuration(k.defaultTokenLifetime()).instant(k.createdAt()).longValue(k.version())
        .restriction(k.restriction()).nullableRateLimit(k.rateLimit());
  }

  /** Everything but the key columns, the lookup id and last-used (which only the last-used sink writes). */
  static Binder bindTokenValues(Binder b, TokenRecord r) throws SQLException {
    Token t = r.token();
    return b.string(t.name()).string(t.description()).string(Json.object(t.tags())).instant(t.createdAt())
        .nullableInstant(t.expiresAt()).string(t.status().name()).nullableInstant(t.rotatedAt())
        .nullableInstant(t.previousValidUntil()).nullableHash(r.current()).nullableHash(r.previous())
        .longValue(t.version()).restriction(t.restriction()).nullableRateLimit(t.rateLimit());
  }

  // ---- mapping

  static Account account(ResultSet rs) throws SQLException {
    return new Account(rs.getString("account_id"), rs.getString("name"), instant(rs, "created"));
  }

  static Principal principal(ResultSet rs) throws SQLException {
    PrincipalRef ref = new PrincipalRef(rs.getString("account_id"), type(rs.getString("principal_type")),
        rs.getString("principal_id"));
    return new Principal(ref, rs.getString("name"), rs.getString("description"), Scope.parse(rs.getString("scope")),
        Json.parseArray(rs.getString("roles")), Json.parseArray(rs.getString("permissions")),
        rs.getBoolean("enabled"), instant(rs, "created"), rs.getLong("version"));
  }

  static ApiKey apiKey(ResultSet rs) throws SQLException {
    ApiKeyRef ref = new ApiKeyRef(owner(rs), rs.getString("key_id"));
    long lifetimeSeconds = rs.getLong("default_lifetime_s");
    Duration lifetime = rs.wasNull() ? null : Duration.ofSeconds(lifetimeSeconds, rs.getInt("default_lifetime_ns"));
    return new ApiKey(ref, rs.getString("name"), rs.getString("description"), Json.parseObject(rs.getString("tags")),
        Scope.parse(rs.getString("scope")), lifetime, instant(rs, "created"), rs.getLong("version"), restriction(rs),
        rateLimit(rs, "rate_"));
  }

  static TokenRecord token(ResultSet rs) throws SQLException {
    TokenRef ref = new TokenRef(new ApiKeyRef(owner(rs), rs.getString("key_id")), rs.getString("token_id"));
    Token t = new Token(ref, rs.getString("lookup_id"), rs.getString("name"), rs.getString("description"),
        Json.parseObject(rs.getString("tags")), instant(rs, "created"), optionalInstant(rs, "expires"),
        TokenStatus.valueOf(rs.getString("status")), optionalInstant(rs, "rotated"),
        optionalInstant(rs, "previous_valid_until"), optionalInstant(rs, "last_used"), rs.getLong("version"),
        restriction(rs), rateLimit(rs, "rate_"), lastUsedAddress(rs));
    CredentialHash current = new CredentialHash(rs.getString("hash_scheme"), rs.getInt("hash_pepper"),
        rs.getString("hash_digest"));
    String previousScheme = rs.getString("previous_hash_scheme");
    CredentialHash previous = previousScheme == null
        ? null
        : new CredentialHash(previousScheme, rs.getInt("previous_hash_pepper"), rs.getString("previous_hash_digest"));
    return new TokenRecord(t, current, previous);
  }

  /**
   * The last use's address. Lenient on purpose: it is display-only, so a value that is not an
   * address literal (written by hand into the table) reads as unknown instead of failing the
   * token's lookup, and therefore its verification.
   */
  private static @Nullable IpAddress lastUsedAddress(ResultSet rs) throws SQLException {
    return IpAddress.tryParse(rs.getString("last_used_address"));
  }

  /** {@link #token} with its key's rate limit ({@link #TOKEN_WITH_KEY_LIMIT_COLUMNS}). */
  static TokenRecord tokenWithKeyLimit(ResultSet rs) throws SQLException {
    return token(rs).withKeyRateLimit(rateLimit(rs, "key_rate_"));
  }

  /**
   * The limit in columns {@code <prefix>requests}, {@code <prefix>per_s} and {@code <prefix>burst};
   * null when requests is NULL. A row altered outside Latchkey into an invalid limit fails loudly
   * ({@link dev.latchkey.InvalidArgumentException}) rather than being read as no limit.
   */
  static @Nullable RateLimit rateLimit(ResultSet rs, String prefix) throws SQLException {
    long requests = rs.getLong(prefix + "requests");
    if (rs.wasNull()) {
      return null;
    }
    return new RateLimit(requests, Duration.ofSeconds(rs.getLong(prefix + "per_s")), rs.getLong(prefix + "burst"));
  }

  static Restriction restriction(ResultSet rs) throws SQLException {
    String permissions = rs.getString("restrict_permissions");
    String roles = rs.getString("restrict_roles");
    String ranges = rs.getString("allowed_addresses");
    if (permissions == null && roles == null && ranges == null) {
      return Restriction.NONE;
    }
    return new Restriction(permissions == null ? null : Json.parseArray(permissions),
        roles == null ? null : Json.parseArray(roles),
        ranges == null ? List.of() : Restriction.parseRanges(List.copyOf(Json.parseArray(ranges))));
  }

  static Change change(ResultSet rs) throws SQLException {
    return new Change(rs.getLong("seq"), Change.Type.valueOf(rs.getString("change_type")), rs.getString("subject"),
        instant(rs, "changed"));
  }

  private static PrincipalRef owner(ResultSet rs) throws SQLException {
    return new PrincipalRef(rs.getString("account_id"), type(rs.getString("owner_type")), rs.getString("owner_id"));
  }

  static PrincipalType type(String segment) {
    for (PrincipalType t : PrincipalType.values()) {
      if (t.pathSegment().equals(segment)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown principal type in the database: " + segment);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return Instant.ofEpochSecond(rs.getLong(column + "_s"), rs.getInt(column + "_ns"));
  }

  private static @Nullable Instant optionalInstant(ResultSet rs, String column) throws SQLException {
    long seconds = rs.getLong(column + "_s");
    if (rs.wasNull()) {
      return null;
    }
    return Instant.ofEpochSecond(seconds, rs.getInt(column + "_ns"));
  }
}
