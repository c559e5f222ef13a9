package dev.latchkey.jdbc;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConfigurationException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.StoreException;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link TokenStore} over a JDBC {@link DataSource} that the application owns (this store never
 * creates or closes a pool), offering every optional capability; it is its own {@link ChangeFeed}.
 * Supports H2 and PostgreSQL.
 *
 * <pre>{@code
 * JdbcSchema.migrate(dataSource);                 // opt-in: create or upgrade the tables
 * TokenStore store = JdbcTokenStore.builder(dataSource).build();
 * }</pre>
 *
 * <p>Every mutation is one transaction: parent rows are locked ({@code SELECT ... FOR UPDATE}) before
 * children are counted or inserted, updates and principal deletes are compare-and-set on the version
 * column, deletes cascade explicitly, and change-feed rows are appended in the same transaction. A
 * failure rolls the whole transaction back; deadlocks and serialization failures re-run it a few
 * times.
 *
 * <p>This class only routes each call to the part that owns its table: {@link Accounts}, {@link
 * Principals}, {@link ApiKeys}, {@link Tokens}, {@link Cascade} (the deletes), {@link
 * TokenCapabilities} (the optional token queries and the last-used sink), {@link PepperChecks} and
 * {@link ChangeLog} (the feed). Each part keeps its SQL at the top of its file; {@link Jdbc} runs the
 * transactions and holds the statement helpers they share.
 */
public final class JdbcTokenStore implements TokenStore, ChangeFeed {
  private final Dialect dialect;
  private final ChangeLog changes;
  private final Accounts accounts;
  private final Principals principals;
  private final ApiKeys apiKeys;
  private final Tokens tokens;
  private final Cascade cascade;
  private final TokenCapabilities capabilities;
  private final PepperChecks pepperChecks;

  private JdbcTokenStore(Jdbc jdbc, Dialect dialect, Clock clock) {
    this.dialect = dialect;
    this.changes = new ChangeLog(jdbc, clock);
    this.accounts = new Accounts(jdbc);
    this.principals = new Principals(jdbc, changes);
    this.apiKeys = new ApiKeys(jdbc);
    this.tokens = new Tokens(jdbc, changes);
    this.cascade = new Cascade(jdbc, changes);
    this.capabilities = new TokenCapabilities(jdbc);
    this.pepperChecks = new PepperChecks(jdbc, clock);
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

  // ---- accounts

  @Override
  public void insertAccount(Account account) {
    accounts.insert(account);
  }

  @Override
  public Optional<Account> findAccount(String accountId) {
    return accounts.find(accountId);
  }

  @Override
  public Page<Account> listAccounts(PageRequest page) {
    return accounts.list(page);
  }

  @Override
  public Optional<Removal> deleteAccount(String accountId) {
    return cascade.deleteAccount(accountId);
  }

  // ---- principals

  @Override
  public void insertPrincipal(Principal principal) {
    principals.insert(principal);
  }

  @Override
  public Optional<Principal> findPrincipal(PrincipalRef ref) {
    return principals.find(ref);
  }

  @Override
  public boolean updatePrincipal(long expectedVersion, Principal updated) {
    return principals.update(expectedVersion, updated);
  }

  @Override
  public Optional<Removal> deletePrincipal(PrincipalRef ref, long expectedVersion) {
    return cascade.deletePrincipal(ref, expectedVersion);
  }

  @Override
  public Page<Principal> listPrincipals(String accountId, PrincipalType type, PageRequest page) {
    return principals.list(accountId, type, page);
  }

  // ---- API keys

  @Override
  public void insertApiKey(ApiKey key, int maxKeysPerOwner) {
    apiKeys.insert(key, maxKeysPerOwner);
  }

  @Override
  public Optional<ApiKey> findApiKey(ApiKeyRef ref) {
    return apiKeys.find(ref);
  }

  @Override
  public boolean updateApiKey(long expectedVersion, ApiKey updated) {
    return apiKeys.update(expectedVersion, updated);
  }

  @Override
  public Optional<Removal> deleteApiKey(ApiKeyRef ref) {
    return cascade.deleteApiKey(ref);
  }

  @Override
  public Page<ApiKey> listApiKeys(PrincipalRef owner, PageRequest page) {
    return apiKeys.list(owner, page);
  }

  // ---- tokens

  @Override
  public void insertToken(TokenRecord token, int maxUsableTokensPerKey, Instant now) {
    tokens.insert(token, maxUsableTokensPerKey, now);
  }

  @Override
  public Optional<TokenRecord> findToken(TokenRef ref) {
    return tokens.find(ref);
  }

  @Override
  public Optional<TokenRecord> findTokenByLookupId(String lookupId) {
    return tokens.findByLookupId(lookupId);
  }

  @Override
  public boolean updateToken(long expectedVersion, TokenRecord updated) {
    return tokens.update(expectedVersion, updated);
  }

  @Override
  public Optional<Removal> deleteToken(TokenRef ref) {
    return cascade.deleteToken(ref);
  }

  @Override
  public Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page) {
    return tokens.list(key, page);
  }

  // ---- pepper key-check values

  @Override
  public String addPepperCheck(int pepperVersion, String check) {
    return pepperChecks.add(pepperVersion, check);
  }

  // ---- optional capabilities: all offered

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return Optional.of(this);
  }

  @Override
  public Optional<ExpiringTokenQuery> expiringTokenQuery() {
    return Optional.of(capabilities);
  }

  @Override
  public Optional<HashUsageQuery> hashUsageQuery() {
    return Optional.of(capabilities);
  }

  @Override
  public Optional<LastUsedSink> lastUsedSink() {
    return Optional.of(capabilities);
  }

  // ---- the change feed

  @Override
  public long latestSequence() {
    return changes.latestSequence();
  }

  /**
   * As specified, but returns at most {@value ChangeLog#MAX_CHANGES_PER_READ} changes per call;
   * readers loop until a call returns none.
   */
  @Override
  public List<Change> changesSince(long after, int limit) {
    return changes.changesSince(after, limit);
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    return changes.pruneBefore(cutoff);
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
