package dev.latchkey.memory;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.HashUsage;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * A thread-safe {@link TokenStore} in memory, with a {@link ChangeFeed}. For tests and for a single
 * process whose tokens need not survive a restart.
 *
 * <p>Reads are lock-free (concurrent maps); every mutation, including its cascade and its change-feed
 * entries, happens under one lock after all of its checks, so it is all-or-nothing and a reader
 * never sees a change announced before its data. Updates are announced only when they change what
 * a verifier reads ({@link ChangeFeed#affectsVerification}), compared under that lock.
 */
public final class MemoryTokenStore implements TokenStore, ChangeFeed {
  private static final char SEP = '/';

  private final Clock clock;
  private final Object lock = new Object();
  private final ConcurrentSkipListMap<String, Account> accounts = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, Principal> principals = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, ApiKey> apiKeys = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, TokenRecord> tokens = new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<String, TokenRecord> tokensByLookupId = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Long, Change> changes = new ConcurrentSkipListMap<>();
  private long lastSequence;

  public MemoryTokenStore() {
    this(Clock.systemUTC());
  }

  /** @param clock stamps change-feed entries */
  public MemoryTokenStore(Clock clock) {
    if (clock == null) {
      throw new InvalidArgumentException("clock is required");
    }
    this.clock = clock;
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
    return page(accounts, "", page, Account::id);
  }

  @Override
  public Optional<Removal> deleteAccount(String accountId) {
    synchronized (lock) {
      if (accounts.remove(accountId) == null) {
        return Optional.empty();
      }
      Set<PrincipalRef> removedPrincipals = new HashSet<>();
      Set<String> removedTokens = new HashSet<>();
      for (Principal p : List.copyOf(principals.subMap(accountId + SEP, accountId + (char) (SEP + 1)).values())) {
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
      String key = updated.ref().toString();
      Principal current = principals.get(key);
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      principals.put(key, updated);
      if (ChangeFeed.affectsVerification(current, updated)) {
        append(Change.Type.PRINCIPAL, key);
      }
      return true;
    }
  }

  @Override
  public Optional<Removal> deletePrincipal(PrincipalRef ref) {
    synchronized (lock) {
      if (!principals.containsKey(ref.toString())) {
        return Optional.empty();
      }
      Set<PrincipalRef> removedPrincipals = new HashSet<>();
      Set<String> removedTokens = new HashSet<>();
      removePrincipal(ref, removedPrincipals, removedTokens);
      return Optional.of(new Removal(removedPrincipals, removedTokens));
    }
  }

  private void removePrincipal(PrincipalRef ref, Set<PrincipalRef> removedPrincipals, Set<String> removedTokens) {
    String prefix = ref.toString() + SEP;
    for (ApiKey key : List.copyOf(apiKeys.subMap(prefix, prefix.substring(0, prefix.length() - 1) + (char) (SEP + 1)).values())) {
      removeApiKey(key.ref(), removedTokens);
    }
    principals.remove(ref.toString());
    removedPrincipals.add(ref);
    append(Change.Type.PRINCIPAL, ref.toString());
  }

  @Override
  public Page<Principal> listPrincipals(String accountId, PrincipalType type, PageRequest page) {
    return page(principals, accountId + SEP + type.pathSegment() + SEP, page, p -> p.ref().id());
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
      if (countApiKeys(ref.owner()) >= maxKeysPerOwner) {
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
      String key = updated.ref().toString();
      ApiKey current = apiKeys.get(key);
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      apiKeys.put(key, updated);
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

  private void removeApiKey(ApiKeyRef ref, Set<String> removedTokens) {
    for (TokenRecord t : List.copyOf(tokensOf(ref).values())) {
      removeToken(t);
      removedTokens.add(t.lookupId());
    }
    apiKeys.remove(ref.toString());
  }

  @Override
  public Page<ApiKey> listApiKeys(PrincipalRef owner, PageRequest page) {
    return page(apiKeys, owner.toString() + SEP, page, k -> k.ref().id());
  }

  @Override
  public int countApiKeys(PrincipalRef owner) {
    String prefix = owner.toString() + SEP;
    return apiKeys.subMap(prefix, prefix.substring(0, prefix.length() - 1) + (char) (SEP + 1)).size();
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
    return Optional.ofNullable(tokensByLookupId.get(lookupId));
  }

  @Override
  public boolean updateToken(long expectedVersion, TokenRecord updated) {
    checkNextVersion(expectedVersion, updated.version());
    synchronized (lock) {
      String key = updated.token().ref().toString();
      TokenRecord current = tokens.get(key);
      if (current == null || current.version() != expectedVersion) {
        return false;
      }
      if (!current.lookupId().equals(updated.lookupId())) {
        throw new InvalidArgumentException("a token's lookup id never changes");
      }
      // last-used is maintained by recordLastUsed only
      TokenRecord stored = withLastUsed(updated, current.token().lastUsedAt());
      tokens.put(key, stored);
      tokensByLookupId.put(stored.lookupId(), stored);
      if (ChangeFeed.affectsVerification(current, stored)) {
        append(Change.Type.TOKEN, stored.lookupId());
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

  private void removeToken(TokenRecord t) {
    tokens.remove(t.token().ref().toString());
    tokensByLookupId.remove(t.lookupId());
    append(Change.Type.TOKEN, t.lookupId());
  }

  @Override
  public Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page) {
    return page(tokens, key.toString() + SEP, page, t -> t.token().ref().id());
  }

  @Override
  public int countUsableTokens(ApiKeyRef key, Instant now) {
    int n = 0;
    for (TokenRecord t : tokensOf(key).values()) {
      if (t.token().isUsableAt(now)) {
        n++;
      }
    }
    return n;
  }

  private NavigableMap<String, TokenRecord> tokensOf(ApiKeyRef key) {
    String prefix = key.toString() + SEP;
    return tokens.subMap(prefix, true, key.toString() + (char) (SEP + 1), false);
  }

  @Override
  public Page<TokenRecord> listTokensExpiringBetween(Instant from, Instant to, PageRequest page) {
    Comparator<TokenRecord> order = Comparator.<TokenRecord, Instant>comparing(t -> t.token().expiresAt().orElseThrow())
        .thenComparing(TokenRecord::lookupId);
    TreeMap<String, TokenRecord> sorted = new TreeMap<>();
    for (TokenRecord t : tokens.values()) {
      Token token = t.token();
      if (token.status() == dev.latchkey.TokenStatus.ACTIVE && token.expiresAt().isPresent()) {
        Instant e = token.expiresAt().get();
        if (!e.isBefore(from) && e.isBefore(to)) {
          sorted.put(expiryCursor(t), t);
        }
      }
    }
    NavigableMap<String, TokenRecord> rest = page.after().isPresent() ? sorted.tailMap(page.after().get(), false) : sorted;
    List<TokenRecord> items = new ArrayList<>();
    for (TokenRecord t : rest.values()) {
      if (items.size() == page.limit()) {
        break;
      }
      items.add(t);
    }
    items.sort(order);
    boolean more = rest.size() > items.size();
    return Page.of(items, more ? Optional.of(expiryCursor(items.get(items.size() - 1))) : Optional.empty());
  }

  /** Sorts like (expiry, lookup id): fixed-width epoch seconds and nanos, then the id. */
  private static String expiryCursor(TokenRecord t) {
    Instant e = t.token().expiresAt().orElseThrow();
    return String.format("%020d.%09d|%s", e.getEpochSecond() + 100_000_000_000L, e.getNano(), t.lookupId());
  }

  @Override
  public void recordLastUsed(Map<String, Instant> lastUsedByLookupId) {
    for (Map.Entry<String, Instant> e : lastUsedByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last-used times need a lookup id and an instant");
      }
    }
    synchronized (lock) {
      for (Map.Entry<String, Instant> e : lastUsedByLookupId.entrySet()) {
        TokenRecord current = tokensByLookupId.get(e.getKey());
        if (current == null) {
          continue;
        }
        Optional<Instant> before = current.token().lastUsedAt();
        if (before.isPresent() && !e.getValue().isAfter(before.get())) {
          continue;
        }
        TokenRecord updated = withLastUsed(current, Optional.of(e.getValue()));
        tokens.put(current.token().ref().toString(), updated);
        tokensByLookupId.put(current.lookupId(), updated);
      }
    }
  }

  private static TokenRecord withLastUsed(TokenRecord r, Optional<Instant> lastUsedAt) {
    Token t = r.token();
    Token copy = new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(), t.expiresAt(),
        t.status(), t.rotatedAt(), t.previousValidUntil(), lastUsedAt, t.version());
    return new TokenRecord(copy, r.current(), r.previous());
  }

  @Override
  public List<HashUsage> hashUsage() {
    TreeMap<String, long[]> counts = new TreeMap<>();
    Map<String, CredentialHash> samples = new TreeMap<>();
    for (TokenRecord t : tokens.values()) {
      count(counts, samples, t.current());
      t.previous().ifPresent(p -> count(counts, samples, p));
    }
    List<HashUsage> result = new ArrayList<>();
    counts.forEach((k, v) -> result.add(new HashUsage(samples.get(k).scheme(), samples.get(k).pepperVersion(), v[0])));
    return result;
  }

  private static void count(Map<String, long[]> counts, Map<String, CredentialHash> samples, CredentialHash h) {
    String k = h.scheme() + "$" + h.pepperVersion();
    counts.computeIfAbsent(k, x -> new long[1])[0]++;
    samples.putIfAbsent(k, h);
  }

  // ---- pepper key-check values

  private final ConcurrentSkipListMap<Integer, String> pepperChecks = new ConcurrentSkipListMap<>();

  @Override
  public Map<Integer, String> pepperChecks() {
    return Map.copyOf(pepperChecks);
  }

  @Override
  public String addPepperCheck(int pepperVersion, String check) {
    if (pepperVersion < 1 || check == null || check.isEmpty() || check.length() > 128) {
      throw new InvalidArgumentException("a pepper check needs a positive version and a value of 1 to 128 characters");
    }
    String existing = pepperChecks.putIfAbsent(pepperVersion, check);
    return existing == null ? check : existing;
  }

  // ---- change feed

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return Optional.of(this);
  }

  private void append(Change.Type type, String subject) {
    long sequence = ++lastSequence;
    changes.put(sequence, new Change(sequence, type, subject, clock.instant()));
  }

  @Override
  public long latestSequence() {
    synchronized (lock) {
      return lastSequence;
    }
  }

  @Override
  public List<Change> changesSince(long after, int limit) {
    if (limit < 1) {
      throw new InvalidArgumentException("limit must be positive");
    }
    List<Change> result = new ArrayList<>(Math.min(limit, 1024));
    for (Change c : changes.tailMap(after, false).values()) {
      if (result.size() == limit) {
        break;
      }
      result.add(c);
    }
    return result;
  }

  @Override
  public int pruneBefore(Instant cutoff) {
    synchronized (lock) {
      int removed = 0;
      for (Change c : List.copyOf(changes.values())) {
        if (c.sequence() == lastSequence || !c.at().isBefore(cutoff)) {
          break;
        }
        changes.remove(c.sequence());
        removed++;
      }
      return removed;
    }
  }

  // ---- helpers

  private static void checkNextVersion(long expectedVersion, long newVersion) {
    if (newVersion != expectedVersion + 1) {
      throw new InvalidArgumentException("an update must raise the version by exactly one");
    }
  }

  private static <T> Page<T> page(ConcurrentSkipListMap<String, T> map, String prefix, PageRequest page,
      Function<T, String> id) {
    String from = page.after().map(a -> prefix + a).orElse(prefix);
    boolean inclusive = page.after().isEmpty();
    String to = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1) + (char) (SEP + 1);
    NavigableMap<String, T> range = to == null ? map.tailMap(from, inclusive) : map.subMap(from, inclusive, to, false);
    List<T> items = new ArrayList<>();
    boolean more = false;
    for (T item : range.values()) {
      if (items.size() == page.limit()) {
        more = true;
        break;
      }
      items.add(item);
    }
    return Page.of(items, more ? Optional.of(id.apply(items.get(items.size() - 1))) : Optional.empty());
  }
}
