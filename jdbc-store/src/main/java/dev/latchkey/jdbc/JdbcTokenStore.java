package dev.latchkey.jdbc;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConfigurationException;
import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.StoreException;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.HashUsage;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A {@link TokenStore} with a {@link ChangeFeed} over a JDBC {@link DataSource} that the
 * application owns (this store never creates or closes a pool). Supports H2 and PostgreSQL.
 *
 * <pre>{@code
 * JdbcSchema.migrate(dataSource);                 // opt-in: create or upgrade the tables
 * TokenStore store = JdbcTokenStore.builder(dataSource).build();
 * }</pre>
 *
 * <p>Every mutation is one transaction: parent rows are locked ({@code SELECT ... FOR UPDATE}) before
 * children are counted or inserted, updates are compare-and-set on the version column, deletes
 * cascade explicitly, and change-feed rows are appended in the same transaction. A failure rolls the
 * whole transaction back; deadlocks and serialization failures re-run it a few times.
 */
public final class JdbcTokenStore implements TokenStore, ChangeFeed {
  private static final String ACTIVE = TokenStatus.ACTIVE.name();
  private static final int MAX_LOOKUP_ID_LENGTH = 128;

  private final Jdbc jdbc;
  private final Dialect dialect;
  private final Clock clock;

  private JdbcTokenStore(Jdbc jdbc, Dialect dialect, Clock clock) {
    this.jdbc = jdbc;
    this.dialect = dialect;
    this.clock = clock;
  }

  /** Starts configuring a store over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The dialect in use, detected or chosen. */
  public Dialect dialect() {
    return dialect;
  }

  @Override
  public String toString() {
    return "JdbcTokenStore[" + dialect + "]";
  }

  // ------------------------------------------------------------------------------------- accounts

  @Override
  public void insertAccount(Account account) {
    notNull("account", account);
    jdbc.write("insertAccount", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO latchkey_account (" + Rows.ACCOUNT_COLUMNS + ") VALUES (?, ?, ?, ?)")) {
        Rows.bind(ps).string(account.id()).string(account.name()).instant(account.createdAt());
        insert(ps, () -> new ConflictException("account " + account.id() + " already exists"));
      }
      return null;
    });
  }

  @Override
  public Optional<Account> findAccount(String accountId) {
    if (!isIdentifier(accountId)) {
      return Optional.empty();
    }
    return jdbc.read("findAccount", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM latchkey_account WHERE account_id = ?")) {
        ps.setString(1, accountId);
        return one(ps, Rows::account);
      }
    });
  }

  @Override
  public Page<Account> listAccounts(PageRequest page) {
    notNull("page", page);
    return jdbc.read("listAccounts", c -> {
      String sql = "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM latchkey_account"
          + (page.after().isPresent() ? " WHERE account_id > ?" : "")
          + " ORDER BY account_id FETCH FIRST ? ROWS ONLY";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Rows.Binder b = Rows.bind(ps);
        if (page.after().isPresent()) {
          b.string(cursor(page));
        }
        b.intValue(page.limit() + 1);
        return page(ps, page, Rows::account, Account::id);
      }
    });
  }

  @Override
  public Optional<Removal> deleteAccount(String accountId) {
    if (!isIdentifier(accountId)) {
      return Optional.empty();
    }
    return jdbc.write("deleteAccount", c -> {
      if (!exists(c, "SELECT account_id FROM latchkey_account WHERE account_id = ? FOR UPDATE", accountId)) {
        return Optional.empty();
      }
      // Lock top-down (principals, keys, tokens) so that concurrent inserts below this account wait.
      List<PrincipalRef> principals = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT principal_type, principal_id FROM latchkey_principal"
          + " WHERE account_id = ? ORDER BY principal_type, principal_id FOR UPDATE")) {
        ps.setString(1, accountId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            principals.add(new PrincipalRef(accountId, Rows.type(rs.getString(1)), rs.getString(2)));
          }
        }
      }
      lockKeys(c, "account_id = ?", accountId);
      Map<PrincipalRef, List<String>> tokensByOwner = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT owner_type, owner_id, lookup_id FROM latchkey_token"
          + " WHERE account_id = ? ORDER BY owner_type, owner_id, key_id, token_id FOR UPDATE")) {
        ps.setString(1, accountId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            PrincipalRef owner = new PrincipalRef(accountId, Rows.type(rs.getString(1)), rs.getString(2));
            tokensByOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(rs.getString(3));
          }
        }
      }
      deleteWhere(c, "latchkey_token", "account_id = ?", accountId);
      deleteWhere(c, "latchkey_api_key", "account_id = ?", accountId);
      deleteWhere(c, "latchkey_principal", "account_id = ?", accountId);
      deleteWhere(c, "latchkey_account", "account_id = ?", accountId);

      List<PendingChange> changes = new ArrayList<>();
      Set<String> lookupIds = new LinkedHashSet<>();
      for (PrincipalRef p : principals) {
        for (String lookupId : tokensByOwner.getOrDefault(p, List.of())) {
          changes.add(PendingChange.token(lookupId));
          lookupIds.add(lookupId);
        }
        changes.add(PendingChange.principal(p));
      }
      appendChanges(c, changes);
      return Optional.of(new Removal(Set.copyOf(principals), lookupIds));
    });
  }

  // ----------------------------------------------------------------------------------- principals

  @Override
  public void insertPrincipal(Principal principal) {
    notNull("principal", principal);
    PrincipalRef ref = principal.ref();
    jdbc.write("insertPrincipal", c -> {
      if (!exists(c, "SELECT account_id FROM latchkey_account WHERE account_id = ? FOR UPDATE", ref.accountId())) {
        throw new NotFoundException("account " + ref.accountId() + " does not exist");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO latchkey_principal (account_id, principal_type,"
          + " principal_id, name, description, scope, roles, permissions, enabled, created_s, created_ns, version)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        Rows.Binder b = Rows.bind(ps).principal(ref);
        Rows.bindPrincipalValues(b, principal);
        insert(ps, () -> new ConflictException(ref + " already exists"));
      }
      return null;
    });
  }

  @Override
  public Optional<Principal> findPrincipal(PrincipalRef ref) {
    notNull("principal", ref);
    return jdbc.read("findPrincipal", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.PRINCIPAL_COLUMNS + " FROM latchkey_principal"
          + " WHERE account_id = ? AND principal_type = ? AND principal_id = ?")) {
        Rows.bind(ps).principal(ref);
        return one(ps, Rows::principal);
      }
    });
  }

  @Override
  public boolean updatePrincipal(long expectedVersion, Principal updated) {
    notNull("principal", updated);
    checkNextVersion(expectedVersion, updated.version());
    return jdbc.write("updatePrincipal", c -> {
      // Read and lock the stored row first: whether the feed gets a change depends on what changes.
      Principal current;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.PRINCIPAL_COLUMNS + " FROM latchkey_principal"
          + " WHERE account_id = ? AND principal_type = ? AND principal_id = ? FOR UPDATE")) {
        Rows.bind(ps).principal(updated.ref());
        current = one(ps, Rows::principal).orElse(null);
      }
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE latchkey_principal SET name = ?, description = ?,"
          + " scope = ?, roles = ?, permissions = ?, enabled = ?, created_s = ?, created_ns = ?, version = ?"
          + " WHERE account_id = ? AND principal_type = ? AND principal_id = ? AND version = ?")) {
        Rows.Binder b = Rows.bind(ps);
        Rows.bindPrincipalValues(b, updated);
        b.principal(updated.ref()).longValue(expectedVersion);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      if (ChangeFeed.affectsVerification(current, updated)) {
        appendChanges(c, List.of(PendingChange.principal(updated.ref())));
      }
      return true;
    });
  }

  @Override
  public Optional<Removal> deletePrincipal(PrincipalRef ref) {
    notNull("principal", ref);
    return jdbc.write("deletePrincipal", c -> {
      String where = "account_id = ? AND principal_type = ? AND principal_id = ?";
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT principal_id FROM latchkey_principal WHERE " + where + " FOR UPDATE")) {
        Rows.bind(ps).principal(ref);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
        }
      }
      String ownerWhere = "account_id = ? AND owner_type = ? AND owner_id = ?";
      Object[] owner = {ref.accountId(), ref.type().pathSegment(), ref.id()};
      lockKeys(c, ownerWhere, owner);
      List<String> lookupIds = lockTokens(c, ownerWhere, owner);
      deleteWhere(c, "latchkey_token", ownerWhere, owner);
      deleteWhere(c, "latchkey_api_key", ownerWhere, owner);
      deleteWhere(c, "latchkey_principal", where, owner);
      List<PendingChange> changes = new ArrayList<>();
      lookupIds.forEach(id -> changes.add(PendingChange.token(id)));
      changes.add(PendingChange.principal(ref));
      appendChanges(c, changes);
      return Optional.of(new Removal(Set.of(ref), Set.copyOf(lookupIds)));
    });
  }

  @Override
  public Page<Principal> listPrincipals(String accountId, PrincipalType type, PageRequest page) {
    notNull("principal type", type);
    notNull("page", page);
    if (!isIdentifier(accountId)) {
      return Page.of(List.of(), Optional.empty());
    }
    return jdbc.read("listPrincipals", c -> {
      String sql = "SELECT " + Rows.PRINCIPAL_COLUMNS + " FROM latchkey_principal"
          + " WHERE account_id = ? AND principal_type = ?"
          + (page.after().isPresent() ? " AND principal_id > ?" : "")
          + " ORDER BY principal_id FETCH FIRST ? ROWS ONLY";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Rows.Binder b = Rows.bind(ps).string(accountId).string(type.pathSegment());
        if (page.after().isPresent()) {
          b.string(cursor(page));
        }
        b.intValue(page.limit() + 1);
        return page(ps, page, Rows::principal, p -> p.ref().id());
      }
    });
  }

  // ------------------------------------------------------------------------------------- API keys

  @Override
  public void insertApiKey(ApiKey key, int maxKeysPerOwner) {
    notNull("API key", key);
    ApiKeyRef ref = key.ref();
    PrincipalRef owner = ref.owner();
    jdbc.write("insertApiKey", c -> {
      // The owner's row lock makes count-then-insert atomic against concurrent inserts.
      try (PreparedStatement ps = c.prepareStatement("SELECT principal_id FROM latchkey_principal"
          + " WHERE account_id = ? AND principal_type = ? AND principal_id = ? FOR UPDATE")) {
        Rows.bind(ps).principal(owner);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException(owner + " does not exist");
          }
        }
      }
      if (exists(c, "SELECT key_id FROM latchkey_api_key"
          + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ?",
          ref.owner().accountId(), ref.owner().type().pathSegment(), ref.owner().id(), ref.id())) {
        throw new ConflictException("API key " + ref + " already exists");
      }
      if (countApiKeys(c, owner) >= maxKeysPerOwner) {
        throw new LimitExceededException(owner + " already has the maximum of " + maxKeysPerOwner + " API keys");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO latchkey_api_key (" + Rows.API_KEY_COLUMNS + ")"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        Rows.Binder b = Rows.bind(ps).apiKey(ref);
        Rows.bindApiKeyValues(b, key);
        insert(ps, () -> new ConflictException("API key " + ref + " already exists"));
      }
      return null;
    });
  }

  @Override
  public Optional<ApiKey> findApiKey(ApiKeyRef ref) {
    notNull("API key", ref);
    return jdbc.read("findApiKey", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.API_KEY_COLUMNS + " FROM latchkey_api_key"
          + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ?")) {
        Rows.bind(ps).apiKey(ref);
        return one(ps, Rows::apiKey);
      }
    });
  }

  @Override
  public boolean updateApiKey(long expectedVersion, ApiKey updated) {
    notNull("API key", updated);
    checkNextVersion(expectedVersion, updated.version());
    return jdbc.write("updateApiKey", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE latchkey_api_key SET name = ?, description = ?,"
          + " tags = ?, scope = ?, default_lifetime_s = ?, default_lifetime_ns = ?, created_s = ?, created_ns = ?,"
          + " version = ? WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ? AND version = ?")) {
        Rows.Binder b = Rows.bind(ps);
        Rows.bindApiKeyValues(b, updated);
        b.apiKey(updated.ref()).longValue(expectedVersion);
        // Keys carry nothing a verifier caches, so an edit appends no change.
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<Removal> deleteApiKey(ApiKeyRef ref) {
    notNull("API key", ref);
    return jdbc.write("deleteApiKey", c -> {
      String where = "account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ?";
      Object[] key = {ref.owner().accountId(), ref.owner().type().pathSegment(), ref.owner().id(), ref.id()};
      if (lockKeys(c, where, key) == 0) {
        return Optional.empty();
      }
      List<String> lookupIds = lockTokens(c, where, key);
      deleteWhere(c, "latchkey_token", where, key);
      deleteWhere(c, "latchkey_api_key", where, key);
      appendChanges(c, lookupIds.stream().map(PendingChange::token).toList());
      return Optional.of(new Removal(Set.of(), Set.copyOf(lookupIds)));
    });
  }

  @Override
  public Page<ApiKey> listApiKeys(PrincipalRef owner, PageRequest page) {
    notNull("owner", owner);
    notNull("page", page);
    return jdbc.read("listApiKeys", c -> {
      String sql = "SELECT " + Rows.API_KEY_COLUMNS + " FROM latchkey_api_key"
          + " WHERE account_id = ? AND owner_type = ? AND owner_id = ?"
          + (page.after().isPresent() ? " AND key_id > ?" : "")
          + " ORDER BY key_id FETCH FIRST ? ROWS ONLY";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Rows.Binder b = Rows.bind(ps).principal(owner);
        if (page.after().isPresent()) {
          b.string(cursor(page));
        }
        b.intValue(page.limit() + 1);
        return page(ps, page, Rows::apiKey, k -> k.ref().id());
      }
    });
  }

  @Override
  public int countApiKeys(PrincipalRef owner) {
    notNull("owner", owner);
    return jdbc.read("countApiKeys", c -> countApiKeys(c, owner));
  }

  private static int countApiKeys(Connection c, PrincipalRef owner) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM latchkey_api_key"
        + " WHERE account_id = ? AND owner_type = ? AND owner_id = ?")) {
      Rows.bind(ps).principal(owner);
      return count(ps);
    }
  }

  // --------------------------------------------------------------------------------------- tokens

  @Override
  public void insertToken(TokenRecord record, int maxUsableTokensPerKey, Instant now) {
    notNull("token", record);
    notNull("now", now);
    checkLookupId(record.lookupId());
    Token token = record.token();
    TokenRef ref = token.ref();
    ApiKeyRef keyRef = ref.apiKey();
    jdbc.write("insertToken", c -> {
      // The key's row lock makes count-then-insert atomic against concurrent inserts.
      if (lockKeys(c, "account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ?",
          keyRef.owner().accountId(), keyRef.owner().type().pathSegment(), keyRef.owner().id(), keyRef.id()) == 0) {
        throw new NotFoundException("API key " + keyRef + " does not exist");
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT token_id FROM latchkey_token WHERE account_id = ?"
          + " AND owner_type = ? AND owner_id = ? AND key_id = ? AND token_id = ?")) {
        Rows.bind(ps).token(ref);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            throw new ConflictException("token " + ref + " already exists");
          }
        }
      }
      if (exists(c, "SELECT lookup_id FROM latchkey_token WHERE lookup_id = ?", token.lookupId())) {
        throw new ConflictException("a token with this lookup id already exists");
      }
      if (countUsableTokens(c, keyRef, now) >= maxUsableTokensPerKey) {
        throw new LimitExceededException(
            "API key " + keyRef + " already has the maximum of " + maxUsableTokensPerKey + " active tokens");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO latchkey_token (account_id, owner_type, owner_id,"
          + " key_id, token_id, lookup_id, last_used_s, last_used_ns, name, description, tags, created_s, created_ns,"
          + " expires_s, expires_ns, status, rotated_s, rotated_ns, previous_valid_until_s, previous_valid_until_ns,"
          + " hash_scheme, hash_pepper, hash_digest, previous_hash_scheme, previous_hash_pepper, previous_hash_digest,"
          + " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        Rows.Binder b = Rows.bind(ps).token(ref).string(token.lookupId()).instant(token.lastUsedAt());
        Rows.bindTokenValues(b, record);
        insert(ps, () -> new ConflictException("token " + ref + " or its lookup id already exists"));
      }
      return null;
    });
  }

  @Override
  public Optional<TokenRecord> findToken(TokenRef ref) {
    notNull("token", ref);
    return jdbc.read("findToken", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token"
          + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ? AND token_id = ?")) {
        Rows.bind(ps).token(ref);
        return one(ps, Rows::token);
      }
    });
  }

  @Override
  public Optional<TokenRecord> findTokenByLookupId(String lookupId) {
    if (!isLookupId(lookupId)) {
      return Optional.empty();
    }
    return jdbc.read("findTokenByLookupId", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token WHERE lookup_id = ?")) {
        ps.setString(1, lookupId);
        // The schema check refuses a column that compares case-insensitively; comparing the id read
        // back keeps the lookup exact even if the column is altered while this store runs.
        return one(ps, Rows::token).filter(r -> r.lookupId().equals(lookupId));
      }
    });
  }

  @Override
  public boolean updateToken(long expectedVersion, TokenRecord updated) {
    notNull("token", updated);
    checkNextVersion(expectedVersion, updated.version());
    checkLookupId(updated.lookupId());
    TokenRef ref = updated.token().ref();
    return jdbc.write("updateToken", c -> {
      // Read and lock the stored row first: whether the feed gets a change depends on what changes.
      TokenRecord current;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token"
          + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ? AND token_id = ? FOR UPDATE")) {
        Rows.bind(ps).token(ref);
        current = one(ps, Rows::token).orElse(null);
      }
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      if (!current.lookupId().equals(updated.lookupId())) {
        throw new InvalidArgumentException("a token's lookup id never changes");
      }
      // last_used_* is left alone: only recordLastUsed writes it. lookup_id never changes.
      try (PreparedStatement ps = c.prepareStatement("UPDATE latchkey_token SET name = ?, description = ?, tags = ?,"
          + " created_s = ?, created_ns = ?, expires_s = ?, expires_ns = ?, status = ?, rotated_s = ?, rotated_ns = ?,"
          + " previous_valid_until_s = ?, previous_valid_until_ns = ?, hash_scheme = ?, hash_pepper = ?,"
          + " hash_digest = ?, previous_hash_scheme = ?, previous_hash_pepper = ?, previous_hash_digest = ?,"
          + " version = ? WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ? AND token_id = ?"
          + " AND version = ? AND lookup_id = ?")) {
        Rows.Binder b = Rows.bind(ps);
        Rows.bindTokenValues(b, updated);
        b.token(ref).longValue(expectedVersion).string(updated.lookupId());
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      if (ChangeFeed.affectsVerification(current, updated)) {
        appendChanges(c, List.of(PendingChange.token(updated.lookupId())));
      }
      return true;
    });
  }

  @Override
  public Optional<Removal> deleteToken(TokenRef ref) {
    notNull("token", ref);
    return jdbc.write("deleteToken", c -> {
      String where = "account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ? AND token_id = ?";
      Object[] token = {ref.owner().accountId(), ref.owner().type().pathSegment(), ref.owner().id(),
          ref.apiKey().id(), ref.id()};
      List<String> lookupIds = lockTokens(c, where, token);
      if (lookupIds.isEmpty()) {
        return Optional.empty();
      }
      deleteWhere(c, "latchkey_token", where, token);
      appendChanges(c, List.of(PendingChange.token(lookupIds.get(0))));
      return Optional.of(new Removal(Set.of(), Set.of(lookupIds.get(0))));
    });
  }

  @Override
  public Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page) {
    notNull("API key", key);
    notNull("page", page);
    return jdbc.read("listTokens", c -> {
      String sql = "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token"
          + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ?"
          + (page.after().isPresent() ? " AND token_id > ?" : "")
          + " ORDER BY token_id FETCH FIRST ? ROWS ONLY";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Rows.Binder b = Rows.bind(ps).apiKey(key);
        if (page.after().isPresent()) {
          b.string(cursor(page));
        }
        b.intValue(page.limit() + 1);
        return page(ps, page, Rows::token, t -> t.token().ref().id());
      }
    });
  }

  @Override
  public int countUsableTokens(ApiKeyRef key, Instant now) {
    notNull("API key", key);
    notNull("now", now);
    return jdbc.read("countUsableTokens", c -> countUsableTokens(c, key, now));
  }

  private static int countUsableTokens(Connection c, ApiKeyRef key, Instant now) throws SQLException {
    // usable = active and (no expiry or expiry after now)
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM latchkey_token"
        + " WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND key_id = ? AND status = ?"
        + " AND (expires_s IS NULL OR expires_s > ? OR (expires_s = ? AND expires_ns > ?))")) {
      Rows.bind(ps).apiKey(key).string(ACTIVE).longValue(now.getEpochSecond()).longValue(now.getEpochSecond())
          .intValue(now.getNano());
      return count(ps);
    }
  }

  @Override
  public Page<TokenRecord> listTokensExpiringBetween(Instant from, Instant to, PageRequest page) {
    notNull("from", from);
    notNull("to", to);
    notNull("page", page);
    Optional<ExpiryCursor> after = page.after().map(ExpiryCursor::parse);
    return jdbc.read("listTokensExpiringBetween", c -> {
      // Row-value comparisons follow the (expires_s, expires_ns, lookup_id) index.
      String sql = "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token"
          + " WHERE (expires_s, expires_ns) >= (?, ?) AND (expires_s, expires_ns) < (?, ?)"
          + (after.isPresent() ? " AND (expires_s, expires_ns, lookup_id) > (?, ?, ?)" : "")
          + " AND status = ?"
          + " ORDER BY expires_s, expires_ns, lookup_id FETCH FIRST ? ROWS ONLY";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Rows.Binder b = Rows.bind(ps).instant(from).instant(to);
        if (after.isPresent()) {
          ExpiryCursor a = after.get();
          b.longValue(a.seconds()).intValue(a.nanos()).string(a.lookupId());
        }
        b.string(ACTIVE);
        b.intValue(page.limit() + 1);
        return page(ps, page, Rows::token, ExpiryCursor::of);
      }
    });
  }

  /** Keyset position in the expiry listing: (expiry seconds, nanos, lookup id), written {@code s:n:id}. */
  private record ExpiryCursor(long seconds, int nanos, String lookupId) {
    static String of(TokenRecord r) {
      Instant e = r.token().expiresAt().orElseThrow();
      return e.getEpochSecond() + ":" + e.getNano() + ":" + r.lookupId();
    }

    static ExpiryCursor parse(String cursor) {
      String[] parts = cursor.split(":", 3);
      try {
        if (parts.length == 3) {
          int nanos = Integer.parseInt(parts[1]);
          if (nanos >= 0 && nanos < 1_000_000_000 && isLookupId(parts[2])) {
            return new ExpiryCursor(Long.parseLong(parts[0]), nanos, parts[2]);
          }
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new InvalidArgumentException("not a cursor of the expiring-tokens listing");
    }
  }

  @Override
  public void recordLastUsed(Map<String, Instant> lastUsedByLookupId) {
    notNull("last-used times", lastUsedByLookupId);
    // Sorted, so that concurrent batches lock rows in the same order.
    TreeMap<String, Instant> sorted = new TreeMap<>();
    for (Map.Entry<String, Instant> e : lastUsedByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last-used times must not contain null lookup ids or instants");
      }
      if (isLookupId(e.getKey())) {
        sorted.put(e.getKey(), e.getValue());
      }
    }
    if (sorted.isEmpty()) {
      return;
    }
    jdbc.write("recordLastUsed", c -> {
      // Only moves forward; no version bump, no change-feed entry.
      try (PreparedStatement ps = c.prepareStatement("UPDATE latchkey_token SET last_used_s = ?, last_used_ns = ?"
          + " WHERE lookup_id = ? AND (last_used_s IS NULL OR last_used_s < ?"
          + " OR (last_used_s = ? AND last_used_ns < ?))")) {
        for (Map.Entry<String, Instant> e : sorted.entrySet()) {
          Instant t = e.getValue();
          Rows.bind(ps).instant(t).string(e.getKey()).longValue(t.getEpochSecond()).longValue(t.getEpochSecond())
              .intValue(t.getNano());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<HashUsage> hashUsage() {
    return jdbc.read("hashUsage", c -> {
      TreeMap<String, HashUsage> usage = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT hash_scheme, hash_pepper, COUNT(*) FROM latchkey_token GROUP BY hash_scheme, hash_pepper"
              + " UNION ALL SELECT previous_hash_scheme, previous_hash_pepper, COUNT(*) FROM latchkey_token"
              + " WHERE previous_hash_scheme IS NOT NULL GROUP BY previous_hash_scheme, previous_hash_pepper");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String scheme = rs.getString(1);
          int pepper = rs.getInt(2);
          long n = rs.getLong(3);
          usage.merge(scheme + "$" + pepper, new HashUsage(scheme, pepper, n),
              (a, b) -> new HashUsage(a.scheme(), a.pepperVersion(), a.count() + b.count()));
        }
      }
      return List.copyOf(usage.values());
    });
  }

  // ---------------------------------------------------------------------- pepper key-check values

  @Override
  public Map<Integer, String> pepperChecks() {
    return jdbc.read("pepperChecks", c -> {
      Map<Integer, String> checks = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT pepper_version, check_value FROM latchkey_pepper_check");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          checks.put(rs.getInt(1), rs.getString(2));
        }
      }
      return Map.copyOf(checks);
    });
  }

  @Override
  public String addPepperCheck(int pepperVersion, String check) {
    if (pepperVersion < 1 || check == null || check.isEmpty() || check.length() > 128) {
      throw new InvalidArgumentException("a pepper check needs a positive version and a value of 1 to 128 characters");
    }
    try {
      return jdbc.write("addPepperCheck", c -> {
        String existing = pepperCheck(c, pepperVersion);
        if (existing != null) {
          return existing;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO latchkey_pepper_check"
            + " (pepper_version, check_value, created_s, created_ns) VALUES (?, ?, ?, ?)")) {
          Rows.bind(ps).intValue(pepperVersion).string(check).instant(clock.instant());
          insert(ps, () -> new ConflictException("pepper version " + pepperVersion + " was recorded concurrently"));
        }
        return check;
      });
    } catch (ConflictException e) {
      // another node recorded this version at the same moment: its value is the one to compare with
      return jdbc.read("addPepperCheck", c -> pepperCheck(c, pepperVersion));
    }
  }

  private static String pepperCheck(Connection c, int pepperVersion) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT check_value FROM latchkey_pepper_check WHERE pepper_version = ?")) {
      ps.setInt(1, pepperVersion);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  // ---------------------------------------------------------------------------------- change feed

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return Optional.of(this);
  }

  @Override
  public long latestSequence() {
    return jdbc.read("latestSequence", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM latchkey_change_counter WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw missingCounter();
        }
        return rs.getLong(1);
      }
    });
  }

  /** As specified, but returns at most 10,000 changes per call; readers loop until a call returns none. */
  @Override
  public List<Change> changesSince(long after, int limit) {
    if (limit < 1) {
      throw new InvalidArgumentException("limit must be positive");
    }
    int capped = Math.min(limit, 10_000);
    return jdbc.read("changesSince", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.CHANGE_COLUMNS + " FROM latchkey_change"
          + " WHERE seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
        Rows.bind(ps).longValue(after).intValue(capped);
        List<Change> changes = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            changes.add(map(rs, Rows::change));
          }
        }
        return changes;
      }
    });
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    notNull("cutoff", cutoff);
    return jdbc.write("pruneBefore", c -> {
      // Like the memory store: delete the run of oldest changes recorded before the cutoff, stopping
      // at the first one that is not, and never deleting the newest.
      long newest;
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM latchkey_change");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        newest = rs.getLong(1);
        if (rs.wasNull()) {
          return 0;
        }
      }
      long bound = newest;
      try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM latchkey_change"
          + " WHERE changed_s > ? OR (changed_s = ? AND changed_ns >= ?) ORDER BY seq FETCH FIRST 1 ROWS ONLY")) {
        Rows.bind(ps).longValue(cutoff.getEpochSecond()).longValue(cutoff.getEpochSecond()).intValue(cutoff.getNano());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            bound = Math.min(bound, rs.getLong(1));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM latchkey_change WHERE seq < ?")) {
        ps.setLong(1, bound);
        return ps.executeUpdate();
      }
    });
  }

  /** A change to append at the end of the current transaction. */
  private record PendingChange(Change.Type type, String subject) {
    static PendingChange token(String lookupId) {
      return new PendingChange(Change.Type.TOKEN, lookupId);
    }

    static PendingChange principal(PrincipalRef ref) {
      return new PendingChange(Change.Type.PRINCIPAL, ref.toString());
    }
  }

  /**
   * Numbers and appends changes as the transaction's last step. Incrementing the single counter row
   * takes its row lock until commit: writers that append are serialized from here on, so sequences
   * commit in order and a rollback returns its numbers. Doing it last keeps that lock short.
   */
  private void appendChanges(Connection c, List<PendingChange> changes) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE latchkey_change_counter SET last_seq = last_seq + ? WHERE id = 1")) {
      ps.setLong(1, changes.size());
      if (ps.executeUpdate() != 1) {
        throw missingCounter();
      }
    }
    long last;
    try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM latchkey_change_counter WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw missingCounter();
      }
      last = rs.getLong(1);
    }
    Instant at = clock.instant();
    long seq = last - changes.size() + 1;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO latchkey_change (" + Rows.CHANGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
      for (PendingChange change : changes) {
        Rows.bind(ps).longValue(seq++).string(change.type().name()).string(change.subject()).instant(at);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static SQLException missingCounter() {
    return new SQLException("the latchkey_change_counter row is missing; the schema was not initialized by"
        + " its scripts", "XX001");
  }

  // -------------------------------------------------------------------------------------- helpers

  @FunctionalInterface
  private interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Maps a row; a row that does not make a valid domain value is reported as a store failure. */
  private static <T> T map(ResultSet rs, Mapper<T> mapper) throws SQLException {
    try {
      return mapper.map(rs);
    } catch (RuntimeException e) {
      throw new SQLException("a stored row is not valid Latchkey data: " + e.getMessage(), "XX001", e);
    }
  }

  private static <T> Optional<T> one(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(map(rs, mapper)) : Optional.empty();
    }
  }

  /** Reads up to limit + 1 rows: the extra row only says that another page follows. */
  private static <T> Page<T> page(PreparedStatement ps, PageRequest page, Mapper<T> mapper,
      java.util.function.Function<T, String> cursorOf) throws SQLException {
    List<T> items = new ArrayList<>();
    boolean more = false;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (items.size() == page.limit()) {
          more = true;
          break;
        }
        items.add(map(rs, mapper));
      }
    }
    return Page.of(items, more ? Optional.of(cursorOf.apply(items.get(items.size() - 1))) : Optional.empty());
  }

  private static int count(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean exists(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      setAll(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int lockKeys(Connection c, String where, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT key_id FROM latchkey_api_key WHERE " + where + " ORDER BY key_id FOR UPDATE")) {
      setAll(ps, params);
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          n++;
        }
      }
      return n;
    }
  }

  /** Locks the matching tokens and returns their lookup ids in (key, token) identifier order. */
  private static List<String> lockTokens(Connection c, String where, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT lookup_id FROM latchkey_token WHERE " + where + " ORDER BY key_id, token_id FOR UPDATE")) {
      setAll(ps, params);
      List<String> lookupIds = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lookupIds.add(rs.getString(1));
        }
      }
      return lookupIds;
    }
  }

  private static void deleteWhere(Connection c, String table, String where, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + where)) {
      setAll(ps, params);
      ps.executeUpdate();
    }
  }

  private static void setAll(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      ps.setString(i + 1, (String) params[i]);
    }
  }

  /** Executes an INSERT; a unique-key violation becomes the given conflict. */
  private static void insert(PreparedStatement ps, java.util.function.Supplier<ConflictException> conflict)
      throws SQLException {
    try {
      ps.executeUpdate();
    } catch (SQLException e) {
      if (Jdbc.isUniqueViolation(e)) {
        throw conflict.get();
      }
      throw e;
    }
  }

  private static String cursor(PageRequest page) {
    String cursor = page.after().orElseThrow();
    // Identifier cursors are compared as strings, like the memory store does; only a character the
    // database cannot hold is refused.
    if (cursor.indexOf('\0') >= 0) {
      throw new InvalidArgumentException("page cursor must not contain NUL characters");
    }
    return cursor;
  }

  /**
   * Whether an identifier argument can match a row. Valid identifiers are validated by the domain
   * types; anything else is still only a bound parameter, except NUL, which PostgreSQL cannot take.
   */
  private static boolean isIdentifier(String value) {
    if (value == null) {
      throw new InvalidArgumentException("identifier is required");
    }
    return !value.isEmpty() && value.length() <= 512 && value.indexOf('\0') < 0;
  }

  /** Lookup ids are generated (base62); anything longer than the column or with control characters cannot exist. */
  private static boolean isLookupId(String lookupId) {
    if (lookupId == null || lookupId.isEmpty() || lookupId.length() > MAX_LOOKUP_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < lookupId.length(); i++) {
      if (Character.isISOControl(lookupId.charAt(i)) || Character.isSurrogate(lookupId.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static void checkLookupId(String lookupId) {
    if (!isLookupId(lookupId)) {
      throw new InvalidArgumentException("a token's lookup id must be 1 to " + MAX_LOOKUP_ID_LENGTH
          + " characters without control characters");
    }
  }

  private static void checkNextVersion(long expectedVersion, long newVersion) {
    if (newVersion != expectedVersion + 1) {
      throw new InvalidArgumentException("an update must raise the version by exactly one");
    }
  }

  private static <T> T notNull(String what, T value) {
    if (value == null) {
      throw new InvalidArgumentException(what + " is required");
    }
    return value;
  }

  /** Configures a {@link JdbcTokenStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private Dialect dialect;
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource) {
      if (dataSource == null) {
        throw new ConfigurationException("a DataSource is required: JdbcTokenStore.builder(dataSource)");
      }
      this.dataSource = dataSource;
    }

    /**
     * The database dialect. Default: detected from the database's product name when {@link #build()}
     * runs, which needs one connection; set it to build while the database is unreachable.
     */
    public Builder dialect(Dialect dialect) {
      if (dialect == null) {
        throw new ConfigurationException("dialect must not be null");
      }
      if (this.dialect != null) {
        throw new ConfigurationException("dialect was already set to " + this.dialect);
      }
      this.dialect = dialect;
      return this;
    }

    /** Stamps change-feed entries; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new ConfigurationException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Builds the store. Detects the dialect if none was set: throws {@link ConfigurationException}
     * for an unsupported database and {@link StoreException} if the database cannot be reached.
     *
     * <p>The store checks the schema on its first use (with Latchkey, while {@code
     * Latchkey.builder().build()} runs): if the {@code lookup_id} column compares case-insensitively,
     * every call throws {@link ConfigurationException} saying how to fix the column, so no token is
     * issued or verified against it.
     */
    public JdbcTokenStore build() {
      Dialect d = dialect != null ? dialect : Dialect.detect(dataSource);
      return new JdbcTokenStore(new Jdbc(dataSource, c -> JdbcSchema.checkLookupIdColumn(c, d)), d, clock);
    }
  }
}
