package dev.latchkey.testing;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
import dev.latchkey.ConflictException;
import dev.latchkey.HashUsage;
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
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.AuditTrail;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.ExpiryNoticeLog;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.LastUse;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The store core's own tests run on: written to be obviously right, not fast. Plain maps (and one index, by lookup id), one lock
 * (every method is {@code synchronized}), linear scans for listings and cascades, so that each rule
 * of the {@link TokenStore} contract is a few readable lines. It offers all six optional
 * capabilities; {@link ForwardingTokenStore#coreOnly} hides them. It passes the store contract
 * (store-tck runs it: {@code SimpleTokenStoreContractTest}), which is why core can trust it.
 *
 * <p>Deliberately not {@code MemoryTokenStore}: core cannot depend on memory-store (which depends on
 * core), and a store written independently of the one shipped also checks that core relies only on
 * the contract, not on one implementation's habits.
 */
public final class SimpleTokenStore implements TokenStore {
  private final Clock clock;
  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<PrincipalRef, Principal> principals = new HashMap<>();
  private final Map<ApiKeyRef, ApiKey> keys = new HashMap<>();
  private final Map<TokenRef, TokenRecord> tokens = new HashMap<>();
  /** The one index: the verifier's point read by lookup id must not scan every token. */
  private final Map<String, TokenRef> refByLookupId = new HashMap<>();
  private final Map<Integer, String> pepperChecks = new HashMap<>();
  private final TreeMap<Long, Change> feed = new TreeMap<>();
  private long lastSequence;

  private final ChangeFeed changeFeed = new Feed();
  private final AuditTrail auditTrail = new Trail();
  private final ExpiryNoticeLog expiryNotices = new Notices();

  /** Change-feed entries are stamped by the system clock. */
  public SimpleTokenStore() {
    this(Clock.systemUTC());
  }

  /** @param clock stamps change-feed entries (their age decides pruning) */
  public SimpleTokenStore(Clock clock) {
    this.clock = clock;
  }

  // ---- accounts

  @Override
  public synchronized void insertAccount(Account account) {
    if (accounts.containsKey(account.id())) {
      throw new ConflictException("account " + account.id() + " already exists");
    }
    accounts.put(account.id(), account);
  }

  @Override
  public synchronized Optional<Account> findAccount(String accountId) {
    return Optional.ofNullable(accounts.get(accountId));
  }

  @Override
  public synchronized Page<Account> listAccounts(PageRequest page) {
    return page(accounts.values(), a -> true, Account::id, page);
  }

  @Override
  public synchronized Optional<Removal> deleteAccount(String accountId) {
    if (accounts.remove(accountId) == null) {
      return Optional.empty();
    }
    Removed removed = new Removed();
    for (PrincipalRef p : matching(principals.keySet(), p -> p.accountId().equals(accountId))) {
      removePrincipal(p, removed);
    }
    return Optional.of(removed.build());
  }

  // ---- principals

  @Override
  public synchronized void insertPrincipal(Principal principal) {
    PrincipalRef ref = principal.ref();
    if (!accounts.containsKey(ref.accountId())) {
      throw new NotFoundException("account " + ref.accountId() + " does not exist");
    }
    if (principals.containsKey(ref)) {
      throw new ConflictException(ref + " already exists");
    }
    principals.put(ref, principal);
  }

  @Override
  public synchronized Optional<Principal> findPrincipal(PrincipalRef ref) {
    return Optional.ofNullable(principals.get(ref));
  }

  @Override
  public synchronized boolean updatePrincipal(long expectedVersion, Principal updated) {
    requireNextVersion(expectedVersion, updated.version());
    Principal stored = principals.get(updated.ref());
    if (stored == null || stored.version() != expectedVersion) {
      return false;
    }
    principals.put(updated.ref(), updated);
    if (ChangeFeed.affectsVerification(stored, updated)) {
      append(Change.Type.PRINCIPAL, updated.ref().toString());
    }
    return true;
  }

  @Override
  public synchronized Optional<Removal> deletePrincipal(PrincipalRef ref, long expectedVersion) {
    Principal stored = principals.get(ref);
    if (stored == null || stored.version() != expectedVersion) {
      return Optional.empty();
    }
    Removed removed = new Removed();
    removePrincipal(ref, removed);
    return Optional.of(removed.build());
  }

  @Override
  public synchronized Page<Principal> listPrincipals(String accountId, PrincipalType type, PageRequest page) {
    return page(principals.values(), p -> p.ref().accountId().equals(accountId) && p.ref().type() == type,
        p -> p.ref().id(), page);
  }

  // ---- API keys

  @Override
  public synchronized void insertApiKey(ApiKey key, int maxKeysPerOwner) {
    ApiKeyRef ref = key.ref();
    if (!principals.containsKey(ref.owner())) {
      throw new NotFoundException(ref.owner() + " does not exist");
    }
    if (keys.containsKey(ref)) {
      throw new ConflictException("API key " + ref + " already exists");
    }
    if (matching(keys.keySet(), k -> k.owner().equals(ref.owner())).size() >= maxKeysPerOwner) {
      throw new LimitExceededException(ref.owner() + " already has the maximum of " + maxKeysPerOwner + " API keys");
    }
    keys.put(ref, key);
  }

  @Override
  public synchronized Optional<ApiKey> findApiKey(ApiKeyRef ref) {
    return Optional.ofNullable(keys.get(ref));
  }

  @Override
  public synchronized boolean updateApiKey(long expectedVersion, ApiKey updated) {
    requireNextVersion(expectedVersion, updated.version());
    ApiKey stored = keys.get(updated.ref());
    if (stored == null || stored.version() != expectedVersion) {
      return false;
    }
    keys.put(updated.ref(), updated);
    if (ChangeFeed.affectsVerification(stored, updated)) { // the key's restriction and limit are read with each token
      tokens.values().stream().filter(t -> t.token().ref().apiKey().equals(updated.ref()))
          .forEach(t -> append(Change.Type.TOKEN, t.lookupId()));
    }
    return true;
  }

  @Override
  public synchronized Optional<Removal> deleteApiKey(ApiKeyRef ref) {
    if (!keys.containsKey(ref)) {
      return Optional.empty();
    }
    Removed removed = new Removed();
    removeKey(ref, removed);
    return Optional.of(removed.build());
  }

  @Override
  public synchronized Optional<Removal> deleteApiKey(ApiKeyRef ref, long expectedVersion) {
    ApiKey stored = keys.get(ref);
    if (stored == null || stored.version() != expectedVersion) {
      return Optional.empty();
    }
    Removed removed = new Removed();
    removeKey(ref, removed);
    return Optional.of(removed.build());
  }

  @Override
  public synchronized Page<ApiKey> listApiKeys(PrincipalRef owner, PageRequest page) {
    return page(keys.values(), k -> k.ref().owner().equals(owner), k -> k.ref().id(), page);
  }

  // ---- tokens

  @Override
  public synchronized void insertToken(TokenRecord record, int maxUsableTokensPerKey, Instant now) {
    Token token = record.token();
    ApiKeyRef key = token.ref().apiKey();
    if (!keys.containsKey(key)) {
      throw new NotFoundException("API key " + key + " does not exist");
    }
    if (tokens.containsKey(token.ref())) {
      throw new ConflictException("token " + token.ref() + " already exists");
    }
    if (byLookupId(token.lookupId()) != null) {
      throw new ConflictException("a token with this lookup id already exists");
    }
    long usable = tokens.values().stream()
        .filter(t -> t.token().ref().apiKey().equals(key) && t.token().isUsableAt(now)).count();
    if (usable >= maxUsableTokensPerKey) {
      throw new LimitExceededException(
          "API key " + key + " already has the maximum of " + maxUsableTokensPerKey + " active tokens");
    }
    tokens.put(token.ref(), record);
    refByLookupId.put(token.lookupId(), token.ref());
  }

  @Override
  public synchronized Optional<TokenRecord> findToken(TokenRef ref) {
    return Optional.ofNullable(tokens.get(ref));
  }

  @Override
  public synchronized Optional<TokenRecord> findTokenByLookupId(String lookupId) {
    TokenRecord r = byLookupId(lookupId);
    if (r == null) {
      return Optional.empty();
    }
    ApiKey key = keys.get(r.token().ref().apiKey());
    return Optional.of(r.withKeyRateLimit(key == null ? null : key.rateLimit()));
  }

  @Override
  public synchronized boolean updateToken(long expectedVersion, TokenRecord updated) {
    requireNextVersion(expectedVersion, updated.version());
    TokenRecord stored = tokens.get(updated.token().ref());
    if (stored == null || stored.version() != expectedVersion) {
      return false;
    }
    if (!stored.lookupId().equals(updated.lookupId())) {
      throw new InvalidArgumentException("a token's lookup id never changes");
    }
    TokenRecord kept = withLastUsed(updated, stored.token().lastUsedAt(), stored.token().lastUsedFrom()); // last use is the sink's alone
    tokens.put(kept.token().ref(), kept);
    if (ChangeFeed.affectsVerification(stored, kept)) {
      append(Change.Type.TOKEN, kept.lookupId());
    }
    return true;
  }

  @Override
  public synchronized Optional<Removal> deleteToken(TokenRef ref, long expectedVersion) {
    TokenRecord stored = tokens.get(ref);
    return stored == null || stored.token().version() != expectedVersion ? Optional.empty() : deleteToken(ref);
  }

  @Override
  public synchronized Optional<Removal> deleteToken(TokenRef ref) {
    TokenRecord removed = tokens.remove(ref);
    if (removed == null) {
      return Optional.empty();
    }
    refByLookupId.remove(removed.lookupId());
    append(Change.Type.TOKEN, removed.lookupId());
    return Optional.of(new Removal(Set.of(), Set.of(removed.lookupId())));
  }

  @Override
  public synchronized Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page) {
    return page(tokens.values(), t -> t.token().ref().apiKey().equals(key), t -> t.token().ref().id(), page);
  }

  // ---- pepper key-check values

  @Override
  public synchronized String addPepperCheck(int pepperVersion, String check) {
    if (pepperVersion < 1 || check == null || check.isEmpty() || check.length() > 128) {
      throw new InvalidArgumentException("a pepper check needs a positive version and a value of 1 to 128 characters");
    }
    return pepperChecks.computeIfAbsent(pepperVersion, v -> check);
  }

  // ---- optional capabilities: all offered

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return Optional.of(changeFeed);
  }

  @Override
  public Optional<ExpiringTokenQuery> expiringTokenQuery() {
    return Optional.of(this::listTokensExpiringBetween);
  }

  @Override
  public Optional<HashUsageQuery> hashUsageQuery() {
    return Optional.of(this::hashUsage);
  }

  @Override
  public Optional<LastUsedSink> lastUsedSink() {
    return Optional.of(new LastUsedSink() {
      @Override
      public void recordLastUsed(Map<String, Instant> lastUsedByLookupId) {
        Map<String, LastUse> uses = new HashMap<>();
        lastUsedByLookupId.forEach((id, at) -> {
          if (id == null || at == null) {
            throw new InvalidArgumentException("last-used times need a lookup id and an instant");
          }
          uses.put(id, new LastUse(at, null));
        });
        recordLastUses(uses);
      }

      @Override
      public void recordLastUses(Map<String, LastUse> lastUsesByLookupId) {
        SimpleTokenStore.this.recordLastUses(lastUsesByLookupId);
      }
    });
  }

  @Override
  public Optional<AuditTrail> auditTrail() {
    return Optional.of(auditTrail);
  }

  @Override
  public Optional<ExpiryNoticeLog> expiryNoticeLog() {
    return Optional.of(expiryNotices);
  }

  /** Every event under its append number; queries scan all of them, newest first. */
  private final class Trail implements AuditTrail {
    private final TreeMap<Long, AuditEvent> events = new TreeMap<>();
    private long last;

    @Override
    public void append(AuditEvent event) {
      synchronized (SimpleTokenStore.this) {
        events.put(++last, Objects.requireNonNull(event));
      }
    }

    @Override
    public Page<AuditEvent> query(AuditQuery query, PageRequest page) {
      synchronized (SimpleTokenStore.this) {
        long before;
        try {
          before = page.after() == null ? Long.MAX_VALUE : Long.parseLong(page.after());
        } catch (NumberFormatException e) {
          throw new InvalidArgumentException("not a cursor of this store");
        }
        List<Map.Entry<Long, AuditEvent>> matching = events.headMap(before, false).descendingMap().entrySet().stream()
            .filter(e -> query.matches(e.getValue())).toList();
        List<Map.Entry<Long, AuditEvent>> items = matching.subList(0, Math.min(page.limit(), matching.size()));
        boolean more = matching.size() > items.size();
        return Page.of(items.stream().map(Map.Entry::getValue).toList(),
            more ? Long.toString(items.get(items.size() - 1).getKey()) : null);
      }
    }

    @Override
    public int pruneBefore(Instant cutoff) {
      synchronized (SimpleTokenStore.this) {
        int before = events.size();
        events.values().removeIf(e -> e.at().isBefore(cutoff));
        return before - events.size();
      }
    }
  }

  /** Sent notices as "lookupId expiry threshold" strings. */
  private final class Notices implements ExpiryNoticeLog {
    private final Map<String, Duration> sent = new HashMap<>();

    @Override
    public boolean claim(String lookupId, Instant expiresAt, Duration threshold, Instant at) {
      synchronized (SimpleTokenStore.this) {
        return sent.putIfAbsent(lookupId + " " + expiresAt + " " + threshold, threshold) == null;
      }
    }

    @Override
    public Set<Duration> claimed(String lookupId, Instant expiresAt) {
      synchronized (SimpleTokenStore.this) {
        String prefix = lookupId + " " + expiresAt + " ";
        return sent.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
            .collect(Collectors.toSet());
      }
    }

    @Override
    public int pruneBefore(Instant cutoff) {
      synchronized (SimpleTokenStore.this) {
        int before = sent.size();
        sent.keySet().removeIf(k -> Instant.parse(k.split(" ")[1]).isBefore(cutoff));
        return before - sent.size();
      }
    }
  }

  private synchronized Page<TokenRecord> listTokensExpiringBetween(Instant from, Instant to, PageRequest page) {
    ExpiryPosition after = page.after() == null ? null : ExpiryPosition.parse(page.after());
    List<TokenRecord> window = tokens.values().stream()
        .filter(t -> t.token().status() == TokenStatus.ACTIVE && t.token().expiresAt() != null)
        .filter(t -> !t.token().expiresAt().isBefore(from) && t.token().expiresAt().isBefore(to))
        .filter(t -> after == null || ExpiryPosition.of(t).compareTo(after) > 0)
        .sorted(Comparator.comparing(ExpiryPosition::of))
        .toList();
    List<TokenRecord> items = window.subList(0, Math.min(page.limit(), window.size()));
    boolean more = window.size() > items.size();
    return Page.of(items, more ? ExpiryPosition.of(items.get(items.size() - 1)).toString() : null);
  }

  /** Where a token sorts in the expiring-tokens listing; as text, the listing's cursor. */
  private record ExpiryPosition(Instant expiresAt, String lookupId) implements Comparable<ExpiryPosition> {
    static ExpiryPosition of(TokenRecord t) {
      return new ExpiryPosition(Objects.requireNonNull(t.token().expiresAt()), t.lookupId());
    }

    static ExpiryPosition parse(String cursor) {
      int bar = cursor.indexOf('|');
      try {
        return new ExpiryPosition(Instant.parse(cursor.substring(0, bar)), cursor.substring(bar + 1));
      } catch (RuntimeException e) {
        throw new InvalidArgumentException("not a cursor of this listing");
      }
    }

    @Override
    public int compareTo(ExpiryPosition o) {
      int c = expiresAt.compareTo(o.expiresAt);
      return c != 0 ? c : lookupId.compareTo(o.lookupId);
    }

    @Override
    public String toString() {
      return expiresAt + "|" + lookupId;
    }
  }

  private synchronized List<HashUsage> hashUsage() {
    Map<List<Object>, Long> counts = new TreeMap<>(
        Comparator.comparing((List<Object> k) -> (String) k.get(0)).thenComparing(k -> (Integer) k.get(1)));
    for (TokenRecord t : tokens.values()) {
      List<CredentialHash> hashes = new ArrayList<>();
      hashes.add(t.current());
      if (t.previous() != null) {
        hashes.add(t.previous());
      }
      for (CredentialHash h : hashes) {
        counts.merge(List.of(h.scheme(), h.pepperVersion()), 1L, Long::sum);
      }
    }
    return counts.entrySet().stream()
        .map(e -> new HashUsage((String) e.getKey().get(0), (Integer) e.getKey().get(1), e.getValue()))
        .toList();
  }

  private void recordLastUses(Map<String, LastUse> lastUsesByLookupId) {
    for (Map.Entry<String, LastUse> e : lastUsesByLookupId.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("last uses need a lookup id and a use");
      }
    }
    synchronized (this) {
      lastUsesByLookupId.forEach((lookupId, use) -> {
        TokenRecord stored = byLookupId(lookupId);
        if (stored != null && (stored.token().lastUsedAt() == null || use.at().isAfter(stored.token().lastUsedAt()))) {
          tokens.put(stored.token().ref(), withLastUsed(stored, use.at(), use.from()));
        }
      });
    }
  }

  /** The change feed: a sequence-numbered map, appended to under the store's lock by the mutation itself. */
  private final class Feed implements ChangeFeed {
    @Override
    public long latestSequence() {
      synchronized (SimpleTokenStore.this) {
        return lastSequence;
      }
    }

    @Override
    public List<Change> changesSince(long after, int limit) {
      if (limit < 1) {
        throw new InvalidArgumentException("limit must be positive");
      }
      synchronized (SimpleTokenStore.this) {
        return feed.tailMap(after, false).values().stream().limit(limit).toList();
      }
    }

    @Override
    public int pruneBefore(Instant cutoff) {
      synchronized (SimpleTokenStore.this) {
        int pruned = 0;
        while (!feed.isEmpty() && feed.firstKey() != lastSequence && feed.firstEntry().getValue().at().isBefore(cutoff)) {
          feed.pollFirstEntry();
          pruned++;
        }
        return pruned;
      }
    }
  }

  // ---- helpers (the caller holds the lock)

  private void append(Change.Type type, String subject) {
    lastSequence++;
    feed.put(lastSequence, new Change(lastSequence, type, subject, clock.instant()));
  }

  private TokenRecord byLookupId(String lookupId) {
    TokenRef ref = refByLookupId.get(lookupId);
    return ref == null ? null : tokens.get(ref);
  }

  private void removePrincipal(PrincipalRef ref, Removed removed) {
    for (ApiKeyRef k : matching(keys.keySet(), k -> k.owner().equals(ref))) {
      removeKey(k, removed);
    }
    principals.remove(ref);
    removed.principals.add(ref);
    append(Change.Type.PRINCIPAL, ref.toString());
  }

  private void removeKey(ApiKeyRef ref, Removed removed) {
    for (TokenRef t : matching(tokens.keySet(), t -> t.apiKey().equals(ref))) {
      String lookupId = tokens.remove(t).lookupId();
      refByLookupId.remove(lookupId);
      removed.tokens.add(lookupId);
      append(Change.Type.TOKEN, lookupId);
    }
    keys.remove(ref);
  }

  /** What a cascading delete removed so far. */
  private static final class Removed {
    final Set<PrincipalRef> principals = new HashSet<>();
    final Set<String> tokens = new HashSet<>();

    Removal build() {
      return new Removal(principals, tokens);
    }
  }

  private static <T> List<T> matching(Set<T> set, Predicate<T> test) {
    return set.stream().filter(test).collect(Collectors.toList());
  }

  /** One page of the items that pass {@code filter}, in identifier order, after the cursor's identifier. */
  private static <T> Page<T> page(Iterable<T> all, Predicate<T> filter, Function<T, String> id, PageRequest page) {
    List<T> sorted = new ArrayList<>();
    for (T item : all) {
      if (filter.test(item) && (page.after() == null || id.apply(item).compareTo(page.after()) > 0)) {
        sorted.add(item);
      }
    }
    sorted.sort(Comparator.comparing(id));
    List<T> items = sorted.subList(0, Math.min(page.limit(), sorted.size()));
    boolean more = sorted.size() > items.size();
    return Page.of(items, more ? id.apply(items.get(items.size() - 1)) : null);
  }

  private static void requireNextVersion(long expectedVersion, long newVersion) {
    if (newVersion != expectedVersion + 1) {
      throw new InvalidArgumentException("an update must raise the version by exactly one");
    }
  }

  private static TokenRecord withLastUsed(TokenRecord r, @Nullable Instant lastUsedAt, @Nullable IpAddress from) {
    Token t = r.token();
    return new TokenRecord(new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(),
        t.expiresAt(), t.status(), t.rotatedAt(), t.previousValidUntil(), lastUsedAt, t.version(), t.restriction(),
        t.rateLimit(), from),
        r.current(), r.previous());
  }
}
