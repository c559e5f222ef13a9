package dev.latchkey.jdbc;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.PrincipalRef;
import java.util.Optional;

/** Table {@code latchkey_api_key}. Deleting a key is the {@link Cascade}'s. */
final class ApiKeys {
  private static final String LOCK_OWNER = "SELECT principal_id FROM latchkey_principal"
      + " WHERE account_id = ? AND principal_type = ? AND principal_id = ? FOR UPDATE";
  private static final String FIND = "SELECT " + Rows.API_KEY_COLUMNS + " FROM latchkey_api_key"
      + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ?";
  private static final String COUNT = "SELECT COUNT(*) FROM latchkey_api_key"
      + " WHERE account_id = ? AND owner_type = ? AND owner_id = ?";
  private static final String INSERT = "INSERT INTO latchkey_api_key (" + Rows.API_KEY_COLUMNS + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /** Compare-and-set on the version; the SET list is {@link Rows#bindApiKeyValues}'s order. */
  private static final String UPDATE = "UPDATE latchkey_api_key SET name = ?, description = ?, tags = ?, scope = ?,"
      + " default_lifetime_s = ?, default_lifetime_ns = ?, created_s = ?, created_ns = ?, version = ?"
      + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ? AND version = ?";
  private static final Jdbc.Keyset<ApiKey> LIST = Jdbc.Keyset.of("SELECT " + Rows.API_KEY_COLUMNS
      + " FROM latchkey_api_key WHERE account_id = ? AND owner_type = ? AND owner_id = ?", "key_id", Rows::apiKey,
      k -> k.ref().id());

  private final Jdbc jdbc;

  ApiKeys(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  void insert(ApiKey key, int maxKeysPerOwner) {
    Args.notNull("API key", key);
    ApiKeyRef ref = key.ref();
    PrincipalRef owner = ref.owner();
    jdbc.write("insertApiKey", c -> {
      Jdbc.require(c, LOCK_OWNER, b -> b.principal(owner), () -> new NotFoundException(owner + " does not exist"));
      Jdbc.refuse(c, FIND, b -> b.apiKey(ref), () -> new ConflictException("API key " + ref + " already exists"));
      if (Jdbc.count(c, COUNT, b -> b.principal(owner)) >= maxKeysPerOwner) {
        throw new LimitExceededException(owner + " already has the maximum of " + maxKeysPerOwner + " API keys");
      }
      Jdbc.insert(c, INSERT, b -> Rows.bindApiKeyValues(b.apiKey(ref), key),
          () -> new ConflictException("API key " + ref + " already exists"));
      return null;
    });
  }

  Optional<ApiKey> find(ApiKeyRef ref) {
    Args.notNull("API key", ref);
    return jdbc.find("findApiKey", FIND, b -> b.apiKey(ref), Rows::apiKey);
  }

  boolean update(long expectedVersion, ApiKey updated) {
    Args.checkNextVersion(expectedVersion, Args.notNull("API key", updated).version());
    // Keys carry nothing a verifier caches, so an edit appends no change.
    return jdbc.write("updateApiKey", c -> Jdbc.update(c, UPDATE,
        b -> Rows.bindApiKeyValues(b, updated).apiKey(updated.ref()).longValue(expectedVersion)) == 1);
  }

  Page<ApiKey> list(PrincipalRef owner, PageRequest page) {
    Args.notNull("owner", owner);
    Args.notNull("page", page);
    return jdbc.list("listApiKeys", LIST, b -> b.principal(owner), page);
  }
}
