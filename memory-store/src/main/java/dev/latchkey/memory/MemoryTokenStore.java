package dev.latchkey.memory;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IpAddress;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.AuditTrail;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.ExpiryNoticeLog;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.LastUse;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe {@link TokenStore} in memory that offers every optional capability (a {@link
 * ChangeFeed}, the expiring-tokens query, hash-usage statistics, last-used recording, a bounded
 * audit trail, the expiry-notice log). For tests and
 * for a single process whose tokens need not survive a restart.
 *
 * <p>Reads are lock-free (concurrent maps); every mutation, including its cascade and its change-feed
 * entries, happens under one lock after all of its checks, so it is all-or-nothing and a reader
 * never sees a change announced before its data. Updates are announced only when they change what
 * a verifier reads ({@link ChangeFeed#affectsVerification}), compared under that lock.
 */
public final class MemoryTokenStore implements TokenStore {
  private static final char SEP = '/';

  private final Object lock = new Object();
  private final ConcurrentSkipListMap<String, Account> accounts = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, Principal> principals = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, ApiKey> apiKeys = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, TokenRecord> tokens = new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<String, TokenRecord> tokensByLookupId = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Integer, String> pepperChecks = new ConcurrentSkipListMap<>();
  private final MemoryChangeFeed feed;
  private final MemoryAuditTrail auditTrail;
  private final MemoryExpiryNotices expiryNotices = new MemoryExpiryNotices();

  /** How many audit events the store keeps by default: the newest {@value}. */
  public static final int DEFAULT_AUDIT_CAPACITY = 10_000;

  /** A store whose change-feed entries are stamped by the system clock (UTC). */
  public MemoryTokenStore() {
    this(Clock.systemUTC());
  }

  /** @param clock stamps change-feed entries */
  public MemoryTokenStore(Clock clock) {
    this(clock, DEFAULT_AUDIT_CAPACITY);
  }

  /**
   * @param clock stamps change-feed entries
   * @param auditCapacity how many audit events the ring keeps (the newest); 1 to 10,000,000
   */
  public MemoryTokenStore(Clock clock, int auditCapacity) {
    if (clock == null) {
      throw new InvalidArgumentException("clock is required");
    }
    if (auditCapacity < 1 || auditCapacity > 10_000_000) {
      throw new InvalidArgumentException("audit capacity must be 1 to 10000000 (was " + auditCapacity + ")");
    }
    this.feed = new MemoryChangeFeed(clock, lock);
    this.auditTrail = new MemoryAuditTrail(auditCapacity);
  }

  // ---- accounts

  @Override
  public void insertAccount(Account account) {
    synchronized (lock) {
      if (accounts.putIfAbsent(account.id(), account) != null) {
        throw new ConflictException("account " + account.id() + " already exists");
      }
    }
  }

  @Override
  public Optional<Account> findAccount(String accountId) {
    return Optional.ofNullable(accounts.get(accountId));
  }

  @Override
  public Page<Account> listAccounts(PageRequest page) {
    return page(accounts, null, page, Account::id);
  }

  @Override
  public Optional<Removal> deleteAccount(String accountId) {
    synchronized (lock) {
      if (accounts.remove(accountId) == null) {
        return Optional.empty();
      }
      Set<PrincipalRef> removedPrincipals = new HashSet<>();
      Set<String> removedTokens = new HashSet<>();
      for (Principal p : List.copyOf(children(principals, accountId).values())) {
        removePrincipal(p.ref(), removedPrincipals, removedTokens);
      }
      return Optional.of(new Removal(removedPrincipals, removedTokens));
    }
  }

  // ---- principals

  @Override
  public void insertPrincipal(Principal principal) {
    synchronized (lock) {
      PrincipalRef ref = principal.ref();
      if (!accounts.containsKey(ref.accountId())) {
        throw new NotFoundException("account " + ref.accountId() + " does not exist");
      }
      if (principals.putIfAbsent(ref.toString(), principal) != null) {
        throw new ConflictException(ref + " already exists");
      }
    }
  }

  @Override
  public Optional<Principal> findPrincipal(PrincipalRef ref) {
    return Optional.ofNullable(principals.get(ref.toString()));
  }

  @Override
  public boolean updatePrincipal(long expectedVersion, Principal updated) {
    checkNextVersion(expectedVersion, updated.version());
    synchronized (lock) {
      Principal current = replaceAtVersion(principals, updated.ref().toString(), expectedVersion, updated,
          Principal::version);
      if (current != null && ChangeFeed.affectsVerification(current, updated)) {
        feed.append(Change.Type.PRINCIPAL, updated.ref().toString());
      }
      return current != null;
    }
  }

  @Override
  public Optional<Removal> deletePrincipal(PrincipalRef ref, long expectedVersion) {
    synchronized (lock) {
      if (atVersion(principals, ref.toString(), expectedVersion, Principal::version) == null) {
        return Optional.empty();
      }
      Set<PrincipalRef> removedPrincipals = new HashSet<>();
      Set<String> removedTokens = new HashSet<>();
      removePrincipal(ref, removedPrincipals, removedTokens);
      return Optional.of(new Removal(removedPrincipals, removedTokens));
    }
  }

  private void removePrincipal(PrincipalRef ref, Set<PrincipalRef> removedPrincipals, Set<String> removedTokens) {
    for (ApiKey key : List.copyOf(children(apiKeys, ref.toString()).values())) {
      removeApiKey(key.ref(), removedTokens);
    }
    principals.remove(ref.toString());
    removedPrincipals.add(ref);
    feed.append(Change.Type.PRINCIPAL, ref.toString());
  }

  @Override
  public Page<Principal> listPrincipals(String accountId, PrincipalType type, PageRequest page) {
    return page(principals, accountId + SEP + type.pathSegment(), page, p -> p.ref().id());
  }

  // ---- API keys

  @Override
  public void insertApiKey(ApiKey key, int maxKeysPerOwner) {
    synchronized (lock) {
      ApiKeyRef ref = key.ref();
      if (!principals.containsKey(ref.owner().toString())) {
        throw new NotFoundException(ref.owner() + " does not exist");
      }
      if (apiKeys.containsKey(ref.toString())) {
        throw new ConflictException("API key " + ref + " already exists");
      }
      if (children(apiKeys, ref.owner().toString()).size() >= maxKeysPerOwner) {
        throw new LimitExceededException(ref.owner() + " already has the maximum of " + maxKeysPerOwner + " API keys");
      }
      apiKeys.put(ref.toString(), key);
    }
  }

  @Override
  public Optional<ApiKey> findApiKey(ApiKeyRef ref) {
    return Optional.ofNullable(apiKeys.get(ref.toString()));
  }

  @Override
  public boolean updateApiKey(long expectedVersion, ApiKey updated) {
    checkNextVersion(expectedVersion, updated.version());
    synchronized (lock) {
      ApiKey before = replaceAtVersion(apiKeys, updated.ref().toString(), expectedVersion, updated, ApiKey::version);
      if (before == null) {
        return false;
      }
      if (ChangeFeed.affectsVerification(before, updated)) {
        // a verifier caches each token with its key's restriction and rate limit: announce every token of the key
        for (TokenRecord t : children(tokens, updated.ref().toString()).values()) {
          feed.append(Change.Type.TOKEN, t.lookupId());
        }
      }
      return true;
    }
  }

  @Override
  public Optional<Removal> deleteApiKey(ApiKeyRef ref) {
    synchronized (lock) {
      if (!apiKeys.containsKey(ref.toString())) {
        return Optional.empty();
      }
      Set<String> removedTokens = new HashSet<>();
      removeApiKey(ref, removedTokens);
      return Optional.of(new Removal(Set.of(), removedTokens));
    }
  }

  @Override
  public Optional<Removal> deleteApiKey(ApiKeyRef ref, long expectedVersion) {
    synchronized (lock) {
      if (atVersion(apiKeys, ref.toString(), expectedVersion, ApiKey::version) == null) {
        return Optional.empty();
      }
      Set<String> removedTokens = new HashSet<>();
      removeApiKey(ref, removedTokens);
      return Optional.of(new Removal(Set.of(), removedTokens));
    }
  }

  private void removeApiKey(ApiKeyRef ref, Set<String> removedTokens) {
    for (TokenRecord t : List.copyOf(children(tokens, ref.toString()).values())) {
      removeToken(t);
      removedTokens.add(t.lookupId());
    }
    apiKeys.remove(ref.toString());
  }

  @Override
  public Page<ApiKey> listApiKeys(PrincipalRef owner, PageRequest page) {
    return page(apiKeys, owner.toString(), page, k -> k.ref().id());
  }

  // ---- tokens

  @Override
  public void insertToken(TokenRecord record, int maxUsableTokensPerKey, Instant now) {
    synchronized (lock) {
      Token token = record.token();
      ApiKeyRef keyRef = token.ref().apiKey();
      if (!apiKeys.containsKey(keyRef.toString())) {
        throw new NotFoundException("API key " + keyRef + " does not exist");
      }
      if (tokens.containsKey(token.ref().toString())) {
        throw new ConflictException("token " + token.ref() + " already exists");
      }
      if (tokensByLookupId.containsKey(token.lookupId())) {
        throw new ConflictException("a token with this lookup id already exists");
      }
      if (countUsableTokens(keyRef, now) >= maxUsableTokensPerKey) {
        throw new LimitExceededException(
            "API key " + keyRef + " already has the maximum of " + maxUsableTokensPerKey + " active tokens");
      }
      tokens.put(token.ref().toString(), record);
      tokensByLookupId.put(token.lookupId(), record);
    }
  }

  @Override
  public Optional<TokenRecord> findToken(TokenRef ref) {
    return Optional.ofNullable(tokens.get(ref.toString()));
  }

  @Override
  public Optional<TokenRecord> findTokenByLookupId(String lookupId) {
    TokenRecord r = tokensByLookupId.get(lookupId);
    if (r == null) {
      return Optional.empty();
    }
    // the key's rate limit, read after the token: a concurrent change of it appends the token to the feed
    ApiKey key = apiKeys.get(r.token().ref().apiKey().toString());
    return Optional.of(key == null || key.rateLimit() == null ? r : r.withKeyRateLimit(key.rateLimit()));
  }

  @Override
  public boolean updateToken(long expectedVersion, TokenRecord updated) {
    checkNextVersion(expectedVersion, updated.version());
    synchronized (lock) {
      String key = updated.token().ref().toString();
      TokenRecord current = atVersion(tokens, key, expectedVersion, TokenRecord::version);
      if (current == null) {
        return false;
      }
      if (!current.lookupId().equals(updated.lookupId())) {
        throw new InvalidArgumentException("a token's lookup id never changes");
      }
      // last-used is maintained by recordLastUsed only
      TokenRecord stored = withLastUsed(updated, current.token().lastUsedAt(), current.token().lastUsedFrom());
      tokens.put(key, stored);
      tokensByLookupId.put(stored.lookupId(), stored);
      if (ChangeFeed.affectsVerification(current, stored)) {
        feed.append(Change.Type.TOKEN, stored.lookupId());
      }
      return true;
    }
  }

  @Override
  public Optional<Removal> deleteToken(TokenRef ref) {
    synchronized (lock) {
      TokenRecord t = tokens.get(ref.toString());
      if (t == null) {
        return Optional.empty();
      }
      removeToken(t);
      return Optional.of(new Removal(Set.of(), Set.of(t.lookupId())));
    }
  }

  @Override
  public Optional<Removal> deleteToken(TokenRef ref, long expectedVersion) {
    synchronized (lock) {
      TokenRecord t = atVersion(tokens, ref.toString(), expectedVersion, r -> r.token().version());
      if (t == null) {
        return Optional.empty();
      }
      removeToken(t);
      return Optional.of(new Removal(Set.of(), Set.of(t.lookupId())));
    }
  }

  private void removeToken(TokenRecord t) {
    tokens.remove(t.token().ref().toString());
    tokensByLookupId.remove(t.lookupId());
    feed.append(Change.Type.TOKEN, t.lookupId());
  }

  @Override
  public Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page) {
    return page(tokens, key.toString(), page, t -> t.token().ref().id());
  }

  private int countUsableTokens(ApiKeyRef key, Instant now) {
    int n = 0;
    for (TokenRecord t : children(tokens, key.toString()).values()) {
      if (t.token().isUsableAt(now)) {
        n++;
      }
    }
    return n;
  }

  // ---- optional capabilities: all offered

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return Optional.of(feed);
  }

  @Override
  public Optional<ExpiringTokenQuery> expiringTokenQuery() {
    return Optional.of((from, to, page) -> MemoryTokenQueries.expiringBetween(tokens.values(), from, to, page));
  }

  @Override
  public Optional<HashUsageQuery> hashUsageQuery() {
    return Optional.of(() -> MemoryTokenQueries.hashUsage(tokens.values()));
  }

  @Override
  public Optional<LastUsedSink> lastUsedSink() {
    return Optional.of(lastUsedSink);
  }

  private final LastUsedSink lastUsedSink = new LastUsedSink() {
    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByLookupId) {
      recordLastUses(withoutAddresses(lastUsedByLookupId));
    }

    @Override
    public void recordLastUses(Map<String, LastUse> lastUsesByLookupId) {
      MemoryTokenStore.this.recordLastUses(lastUsesByLookupId);
    }
  };

  /** Times without addresses: uses whose address is unknown (see {@link LastUsedSink#recordLastUses}). */
  private static Map<String, LastUse> withoutAddresses(Map<String, Instant> lastUsedByLookupId) {
    if (lastUsedByLookupId == null) {
      throw new InvalidArgumentException("last-used times must not be null");
    }
    Map<String, LastUse> uses = new HashMap<>();
    for (Map.Entry<String, Instant> e : lastUsedByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last-used times need a lookup id and an instant");
      }
      uses.put(e.getKey(), new LastUse(e.getValue(), null));
    }
    return uses;
  }

  /** A ring of the newest audit events ({@link #DEFAULT_AUDIT_CAPACITY} unless configured). */
  @Override
  public Optional<AuditTrail> auditTrail() {
    return Optional.of(auditTrail);
  }

  @Override
  public Optional<ExpiryNoticeLog> expiryNoticeLog() {
    return Optional.of(expiryNotices);
  }

  private void recordLastUses(Map<String, LastUse> lastUsesByLookupId) {
    if (lastUsesByLookupId == null) {
      throw new InvalidArgumentException("last uses must not be null");
    }
    for (Map.Entry<String, LastUse> e : lastUsesByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last uses need a lookup id and a use");
      }
    }
    synchronized (lock) {
      for (Map.Entry<String, LastUse> e : lastUsesByLookupId.entrySet()) {
        TokenRecord current = tokensByLookupId.get(e.getKey());
        if (current == null) {
          continue;
        }
        Instant before = current.token().lastUsedAt();
        if (before != null && !e.getValue().at().isAfter(before)) {
          continue;
        }
        TokenRecord updated = withLastUsed(current, e.getValue().at(), e.getValue().from());
        tokens.put(current.token().ref().toString(), updated);
        tokensByLookupId.put(current.lookupId(), updated);
      }
    }
  }

  private static TokenRecord withLastUsed(TokenRecord r, @Nullable Instant lastUsedAt, @Nullable IpAddress from) {
    Token t = r.token();
    Token copy = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), lastUsedAt, t.version(), t.restriction(), t.rateLimit(),
        from);
    return new TokenRecord(copy, r.current(), r.previous());
  }

  // ---- pepper key-check values

  @Override
  public String addPepperCheck(int pepperVersion, String check) {
    if (pepperVersion < 1 || check == null || check.isEmpty() || check.length() > 128) {
      throw new InvalidArgumentException("a pepper check needs a positive version and a value of 1 to 128 characters");
    }
    String existing = pepperChecks.putIfAbsent(pepperVersion, check);
    return existing == null ? check : existing;
  }

  // ---- helpers

  private static void checkNextVersion(long expectedVersion, long newVersion) {
    if (newVersion != expectedVersion + 1) {
      throw new InvalidArgumentException("an update must raise the version by exactly one");
    }
  }

  /** The value stored under {@code key} if its version is {@code expectedVersion}; else null (missing or changed). */
  private static <T> T atVersion(Map<String, T> map, String key, long expectedVersion, ToLongFunction<T> version) {
    T current = map.get(key);
    return current != null && version.applyAsLong(current) == expectedVersion ? current : null;
  }

  /** Stores {@code updated} under {@code key} if the stored version is {@code expectedVersion}; returns what it replaced, or null. */
  private static <T> T replaceAtVersion(Map<String, T> map, String key, long expectedVersion, T updated,
      ToLongFunction<T> version) {
    T current = atVersion(map, key, expectedVersion, version);
    if (current != null) {
      map.put(key, updated);
    }
    return current;
  }

  /**
   * The entries filed under {@code parent} (keys that start with {@code parent + "/"}), in key
   * order. Identifiers contain no '/', so the range ends just before the next character after it.
   */
  private static <T> NavigableMap<String, T> children(ConcurrentSkipListMap<String, T> map, String parent) {
    return map.subMap(parent + SEP, true, parent + (char) (SEP + 1), false);
  }

  /** One page of the children of {@code parent} (of the whole map if null), after the cursor's identifier. */
  private static <T> Page<T> page(ConcurrentSkipListMap<String, T> map, @Nullable String parent, PageRequest page,
      Function<T, String> id) {
    NavigableMap<String, T> range = parent == null ? map : children(map, parent);
    String after = page.after();
    if (after != null) {
      range = range.tailMap((parent == null ? "" : parent + SEP) + after, false);
    }
    List<T> items = new ArrayList<>();
    boolean more = false;
    for (T item : range.values()) {
      if (items.size() == page.limit()) {
        more = true;
        break;
      }
      items.add(item);
    }
    return Page.of(items, more ? id.apply(items.get(items.size() - 1)) : null);
  }
}
