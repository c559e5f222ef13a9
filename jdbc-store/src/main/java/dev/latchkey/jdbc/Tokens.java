package dev.latchkey.jdbc;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IpAddress;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.TokenRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Table {@code latchkey_token}: the required token calls, including the verifier's lookup. The
 * optional queries over the table are {@link TokenCapabilities}'; deleting tokens is the {@link
 * Cascade}'s.
 */
final class Tokens {
  private static final String KEY = "account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ?";
  private static final String LOCK_KEY = "SELECT key_id FROM latchkey_api_key WHERE " + KEY + " FOR UPDATE";
  private static final String FIND = "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token WHERE " + KEY
      + " AND token_id = ?";
  private static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";
  private static final String FIND_BY_LOOKUP_ID = "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token WHERE lookup_id = ?";
  /** The verification lookup: the token and its key's rate limit, in one query by the lookup index and the key's primary key. */
  private static final String FIND_BY_LOOKUP_ID_WITH_KEY_LIMIT = "SELECT " + Rows.TOKEN_WITH_KEY_LIMIT_COLUMNS
      + " FROM latchkey_token t LEFT JOIN latchkey_api_key k ON k.account_id = t.account_id"
      + " AND k.owner_type = t.owner_type AND k.owner_id = t.owner_id AND k.key_id = t.key_id WHERE t.lookup_id = ?";
  /** Usable = active and (no expiry or expiry after now). */
  private static final String COUNT_USABLE = "SELECT COUNT(*) FROM latchkey_token WHERE " + KEY + " AND status = ?"
      + " AND (expires_s IS NULL OR expires_s > ? OR (expires_s = ? AND expires_ns > ?))";
  private static final String INSERT = "INSERT INTO latchkey_token (account_id, owner_type, owner_id, key_id, token_id,"
      + " lookup_id, last_used_s, last_used_ns, last_used_address, name, description, tags, created_s, created_ns, expires_s, expires_ns,"
      + " status, rotated_s, rotated_ns, previous_valid_until_s, previous_valid_until_ns, hash_scheme, hash_pepper,"
      + " hash_digest, previous_hash_scheme, previous_hash_pepper, previous_hash_digest, version, "
      + Rows.RESTRICTION_COLUMNS + ", rate_requests, rate_per_s, rate_burst)"
      + " VALUES (" + "?, ".repeat(33) + "?)";
  /**
   * Compare-and-set on the version; the SET list is {@link Rows#bindTokenValues}'s order. The
   * lookup id never changes, and last_used_* (time and address) is left alone: only the last-used sink writes it.
   */
  private static final String UPDATE = "UPDATE latchkey_token SET name = ?, description = ?, tags = ?,"
      + " created_s = ?, created_ns = ?, expires_s = ?, expires_ns = ?, status = ?, rotated_s = ?, rotated_ns = ?,"
      + " previous_valid_until_s = ?, previous_valid_until_ns = ?, hash_scheme = ?, hash_pepper = ?,"
      + " hash_digest = ?, previous_hash_scheme = ?, previous_hash_pepper = ?, previous_hash_digest = ?,"
      + " version = ?, restrict_permissions = ?, restrict_roles = ?, allowed_addresses = ?,"
      + " rate_requests = ?, rate_per_s = ?, rate_burst = ?"
      + " WHERE " + KEY + " AND token_id = ? AND version = ? AND lookup_id = ?";
  private static final Jdbc.Keyset<TokenRecord> LIST = Jdbc.Keyset.of("SELECT " + Rows.TOKEN_COLUMNS
      + " FROM latchkey_token WHERE " + KEY, "token_id", Rows::token, t -> t.token().ref().id());

  private final Jdbc jdbc;
  private final ChangeLog changes;

  Tokens(Jdbc jdbc, ChangeLog changes) {
    this.jdbc = jdbc;
    this.changes = changes;
  }

  void insert(TokenRecord record, int maxUsableTokensPerKey, Instant now) {
    Args.notNull("token", record);
    Args.notNull("now", now);
    Args.checkLookupId(record.lookupId());
    TokenRef ref = record.token().ref();
    ApiKeyRef keyRef = ref.apiKey();
    jdbc.write("insertToken", c -> {
      Jdbc.require(c, LOCK_KEY, b -> b.apiKey(keyRef), () -> new NotFoundException("API key " + keyRef + " does not exist"));
      Jdbc.refuse(c, FIND, b -> b.token(ref), () -> new ConflictException("token " + ref + " already exists"));
      Jdbc.refuse(c, FIND_BY_LOOKUP_ID, b -> b.string(record.lookupId()),
          () -> new ConflictException("a token with this lookup id already exists"));
      if (Jdbc.count(c, COUNT_USABLE, b -> b.apiKey(keyRef).string(TokenStatus.ACTIVE.name())
          .longValue(now.getEpochSecond()).longValue(now.getEpochSecond()).intValue(now.getNano())) >= maxUsableTokensPerKey) {
        throw new LimitExceededException(
            "API key " + keyRef + " already has the maximum of " + maxUsableTokensPerKey + " active tokens");
      }
      Jdbc.insert(c, INSERT,
          b -> Rows.bindTokenValues(b.token(ref).string(record.lookupId()).nullableInstant(record.token().lastUsedAt())
              .nullableString(addressText(record.token().lastUsedFrom())), record),
          () -> new ConflictException("token " + ref + " or its lookup id already exists"));
      return null;
    });
  }

  static @Nullable String addressText(@Nullable IpAddress address) {
    return address == null ? null : address.toString();
  }

  Optional<TokenRecord> find(TokenRef ref) {
    Args.notNull("token", ref);
    return jdbc.find("findToken", FIND, b -> b.token(ref), Rows::token);
  }

  Optional<TokenRecord> findByLookupId(String lookupId) {
    if (!Args.isLookupId(lookupId)) {
      return Optional.empty();
    }
    // The schema check refuses a column that compares case-insensitively; comparing the id read
    // back keeps the lookup exact even if the column is altered while this store runs.
    return jdbc.find("findTokenByLookupId", FIND_BY_LOOKUP_ID_WITH_KEY_LIMIT, b -> b.string(lookupId),
        Rows::tokenWithKeyLimit)
        .filter(r -> r.lookupId().equals(lookupId));
  }

  boolean update(long expectedVersion, TokenRecord updated) {
    Args.checkNextVersion(expectedVersion, Args.notNull("token", updated).version());
    Args.checkLookupId(updated.lookupId());
    TokenRef ref = updated.token().ref();
    return jdbc.write("updateToken", c -> {
      // Read and lock the stored row first: whether the feed gets a change depends on what changes.
      TokenRecord current = Jdbc.one(c, FIND_FOR_UPDATE, b -> b.token(ref), Rows::token).orElse(null);
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      if (!current.lookupId().equals(updated.lookupId())) {
        throw new InvalidArgumentException("a token's lookup id never changes");
      }
      if (Jdbc.update(c, UPDATE, b -> Rows.bindTokenValues(b, updated).token(ref).longValue(expectedVersion)
          .string(updated.lookupId())) != 1) {
        return false;
      }
      if (ChangeFeed.affectsVerification(current, updated)) {
        changes.append(c, List.of(ChangeLog.Pending.token(updated.lookupId())));
      }
      return true;
    });
  }

  Page<TokenRecord> list(ApiKeyRef key, PageRequest page) {
    Args.notNull("API key", key);
    Args.notNull("page", page);
    return jdbc.list("listTokens", LIST, b -> b.apiKey(key), page);
  }
}
