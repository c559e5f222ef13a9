package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.account;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.hash;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static dev.latchkey.tck.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.HashUsage;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TokenStore} must meet. Extend it with one method:
 *
 * <pre>{@code
 * class MyStoreTest extends TokenStoreContract {
 *   protected TokenStore createStore() { return new MyStore(freshDatabase()); }
 * }
 * }</pre>
 *
 * Each test gets a new, empty store. Stores with a {@link ChangeFeed} are also held to its
 * contract; the feed tests are skipped for stores without one. Override {@link #storageDump} so
 * that the end-to-end test can check that nothing the store persisted contains a secret.
 */
public abstract class TokenStoreContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** A new, empty store. Called before every test. */
  protected abstract TokenStore createStore();

  /**
   * Everything the store persisted, as text (for example every row of every table), so that the
   * secret-hygiene test can check that no token secret reached storage. Empty skips that part of
   * the check; the records the store returns are always checked.
   */
  protected Optional<String> storageDump(TokenStore store) {
    return Optional.empty();
  }

  /** Called after every test with the store from {@link #createStore()}; release resources here. */
  protected void releaseStore(TokenStore store) {}

  protected TokenStore store;

  @BeforeEach
  void setUpStore() {
    store = createStore();
  }

  @AfterEach
  void tearDownStore() {
    releaseStore(store);
  }

  // ---------------------------------------------------------------- fixtures

  private Principal sa;
  private ApiKey key;

  /** Account "acme" with service account "bot" and its key "k1". */
  protected ApiKeyRef seedKey() {
    store.insertAccount(account("acme"));
    sa = serviceAccount("acme", "bot");
    store.insertPrincipal(sa);
    key = apiKey(sa.ref(), "k1");
    store.insertApiKey(key, 100);
    return key.ref();
  }

  private Optional<ChangeFeed> feed() {
    return store.changeFeed();
  }

  private long feedHead() {
    return feed().map(ChangeFeed::latestSequence).orElse(0L);
  }

  private List<Change> changesAfter(long after) {
    ChangeFeed f = feed().orElseThrow();
    List<Change> all = new ArrayList<>();
    while (true) {
      List<Change> batch = f.changesSince(after, 7);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
      after = batch.get(batch.size() - 1).sequence();
    }
  }

  private static <T> List<T> all(Function<PageRequest, Page<T>> lister, int pageSize) {
    List<T> out = new ArrayList<>();
    PageRequest req = PageRequest.first(pageSize);
    while (true) {
      Page<T> page = lister.apply(req);
      assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
      out.addAll(page.items());
      Optional<PageRequest> next = page.next(pageSize);
      if (next.isEmpty()) {
        return out;
      }
      req = next.get();
    }
  }

  // ---------------------------------------------------------------- accounts

  @Test
  void accountsAreInsertedFoundListedAndDeleted() {
    Account a = account("acme");
    store.insertAccount(a);
    assertThat(store.findAccount("acme")).contains(a);
    assertThat(store.findAccount("other")).isEmpty();
    assertThat(store.listAccounts(PageRequest.first()).items()).containsExactly(a);
    assertThat(store.deleteAccount("acme")).isPresent();
    assertThat(store.findAccount("acme")).isEmpty();
    assertThat(store.deleteAccount("acme")).isEmpty();
  }

  @Test
  void duplicateAccountIsAConflictAndChangesNothing() {
    store.insertAccount(account("acme"));
    Account other = new Account("acme", "Another name", T0.plusSeconds(5));
    assertThatThrownBy(() -> store.insertAccount(other)).isInstanceOf(ConflictException.class);
    assertThat(store.findAccount("acme")).contains(account("acme"));
  }

  @Test
  void accountsPaginateInIdentifierOrderWithoutGapsOrRepeats() {
    List<String> ids = new ArrayList<>();
    for (String id : List.of("b", "A", "_x", "a1", "Z9", "a", "aa", "a_", "B", "z", "_", "m")) {
      store.insertAccount(account(id));
      ids.add(id);
    }
    ids.sort(null);
    for (int size : new int[] {1, 2, 5, 12, 100}) {
      assertThat(all(store::listAccounts, size)).extracting(Account::id).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void deletingAnAccountCascadesToEverythingInIt() {
    ApiKeyRef k = seedKey();
    Principal u = user("acme", "alice");
    store.insertPrincipal(u);
    ApiKey uk = apiKey(u.ref(), "mine");
    store.insertApiKey(uk, 100);
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(uk.ref(), "t2");
    store.insertToken(t1, 100, T0);
    store.insertToken(t2, 100, T0);
    // a second account is untouched
    store.insertAccount(account("acme2"));
    Principal other = serviceAccount("acme2", "bot");
    store.insertPrincipal(other);

    Removal removal = store.deleteAccount("acme").orElseThrow();

    assertThat(removal.principals()).containsExactlyInAnyOrder(sa.ref(), u.ref());
    assertThat(removal.tokenLookupIds()).containsExactlyInAnyOrder(t1.lookupId(), t2.lookupId());
    assertThat(store.findPrincipal(sa.ref())).isEmpty();
    assertThat(store.findApiKey(k)).isEmpty();
    assertThat(store.findTokenByLookupId(t1.lookupId())).isEmpty();
    assertThat(store.findTokenByLookupId(t2.lookupId())).isEmpty();
    assertThat(store.findPrincipal(other.ref())).contains(other);
  }

  // ---------------------------------------------------------------- principals

  @Test
  void principalsRoundTripExactly() {
    store.insertAccount(account("acme"));
    Principal s = serviceAccount("acme", "bot");
    Principal u = user("acme", "bot"); // same id, other type: allowed
    store.insertPrincipal(s);
    store.insertPrincipal(u);
    assertThat(store.findPrincipal(s.ref())).contains(s);
    assertThat(store.findPrincipal(u.ref())).contains(u);
    assertThat(store.findPrincipal(PrincipalRef.serviceAccount("acme", "nobody"))).isEmpty();
  }

  @Test
  void principalNeedsItsAccountAndAUniqueIdentifierPerAccount() {
    assertThatThrownBy(() -> store.insertPrincipal(serviceAccount("ghost", "bot")))
        .isInstanceOf(NotFoundException.class);
    store.insertAccount(account("acme"));
    store.insertAccount(account("acme2"));
    store.insertPrincipal(serviceAccount("acme", "bot"));
    store.insertPrincipal(serviceAccount("acme2", "bot")); // same id, other account: allowed
    Principal dup = new Principal(PrincipalRef.serviceAccount("acme", "bot"), "Other", "", dev.latchkey.Scope.account("acme"),
        Set.of(), Set.of(), true, T0, 1);
    assertThatThrownBy(() -> store.insertPrincipal(dup)).isInstanceOf(ConflictException.class);
    assertThat(store.findPrincipal(dup.ref())).contains(serviceAccount("acme", "bot"));
  }

  @Test
  void principalUpdatesAreCompareAndSet() {
    store.insertAccount(account("acme"));
    Principal p = serviceAccount("acme", "bot");
    store.insertPrincipal(p);
    Principal disabled = p.withEnabled(false);
    assertThat(store.updatePrincipal(1, disabled)).isTrue();
    assertThat(store.findPrincipal(p.ref())).contains(disabled);
    assertThat(store.updatePrincipal(1, p.withEnabled(true))).as("stale version").isFalse();
    assertThat(store.findPrincipal(p.ref())).contains(disabled);
    Principal missing = serviceAccount("acme", "ghost").withEnabled(false);
    assertThat(store.updatePrincipal(1, missing)).as("missing principal").isFalse();
    assertThat(store.findPrincipal(missing.ref())).isEmpty();
  }

  @Test
  void principalsListByTypeInIdentifierOrder() {
    store.insertAccount(account("acme"));
    store.insertAccount(account("acme0"));
    List<String> ids = List.of("c", "a", "B", "_z", "b2", "b10", "b1");
    for (String id : ids) {
      store.insertPrincipal(serviceAccount("acme", id));
    }
    store.insertPrincipal(user("acme", "alice"));
    store.insertPrincipal(serviceAccount("acme0", "zz"));
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    for (int size : new int[] {1, 3, 100}) {
      assertThat(all(p -> store.listPrincipals("acme", PrincipalType.SERVICE_ACCOUNT, p), size))
          .extracting(x -> x.ref().id()).containsExactlyElementsOf(sorted);
    }
    assertThat(store.listPrincipals("acme", PrincipalType.USER, PageRequest.first()).items())
        .extracting(x -> x.ref().id()).containsExactly("alice");
    assertThat(store.listPrincipals("nobody", PrincipalType.USER, PageRequest.first()).items()).isEmpty();
  }

  @Test
  void deletingAPrincipalCascadesToItsKeysAndTokensOnly() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    store.insertApiKey(k2, 100);
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k2.ref(), "t2");
    store.insertToken(t1, 100, T0);
    store.insertToken(t2, 100, T0);
    Principal other = serviceAccount("acme", "bot2");
    store.insertPrincipal(other);
    ApiKey otherKey = apiKey(other.ref(), "k1");
    store.insertApiKey(otherKey, 100);
    TokenRecord t3 = token(otherKey.ref(), "t1");
    store.insertToken(t3, 100, T0);

    Removal removal = store.deletePrincipal(sa.ref()).orElseThrow();

    assertThat(removal.principals()).containsExactly(sa.ref());
    assertThat(removal.tokenLookupIds()).containsExactlyInAnyOrder(t1.lookupId(), t2.lookupId());
    assertThat(store.findApiKey(k)).isEmpty();
    assertThat(store.findApiKey(k2.ref())).isEmpty();
    assertThat(store.findToken(t1.token().ref())).isEmpty();
    assertThat(store.findTokenByLookupId(t3.lookupId())).contains(t3);
    assertThat(store.deletePrincipal(sa.ref())).isEmpty();
  }

  // ---------------------------------------------------------------- API keys

  @Test
  void apiKeysRoundTripAndNeedAnExistingOwner() {
    ApiKeyRef k = seedKey();
    assertThat(store.findApiKey(k)).contains(key);
    ApiKey orphan = apiKey(PrincipalRef.serviceAccount("acme", "ghost"), "k1");
    assertThatThrownBy(() -> store.insertApiKey(orphan, 100)).isInstanceOf(NotFoundException.class);
    assertThat(store.findApiKey(orphan.ref())).isEmpty();
  }

  @Test
  void apiKeyIdentifiersAreUniquePerOwner() {
    ApiKeyRef k = seedKey();
    ApiKey dup = new ApiKey(k, "Other", "", Map.of(), key.scope(), Optional.empty(), T0, 1);
    assertThatThrownBy(() -> store.insertApiKey(dup, 100)).isInstanceOf(ConflictException.class);
    assertThat(store.findApiKey(k)).contains(key);
    Principal u = user("acme", "alice");
    store.insertPrincipal(u);
    ApiKey sameIdOtherOwner = apiKey(u.ref(), "k1");
    store.insertApiKey(sameIdOtherOwner, 100);
    assertThat(store.findApiKey(sameIdOtherOwner.ref())).contains(sameIdOtherOwner);
  }

  @Test
  void apiKeyLimitIsEnforcedByTheInsert() {
    seedKey();
    store.insertApiKey(apiKey(sa.ref(), "k2"), 3);
    store.insertApiKey(apiKey(sa.ref(), "k3"), 3);
    assertThat(store.countApiKeys(sa.ref())).isEqualTo(3);
    assertThatThrownBy(() -> store.insertApiKey(apiKey(sa.ref(), "k4"), 3))
        .isInstanceOf(LimitExceededException.class);
    assertThat(store.findApiKey(new ApiKeyRef(sa.ref(), "k4"))).isEmpty();
    assertThat(store.countApiKeys(sa.ref())).isEqualTo(3);
  }

  @Test
  void apiKeyUpdatesAreCompareAndSet() {
    ApiKeyRef k = seedKey();
    ApiKey edited = new ApiKey(k, "Renamed", "new description", Map.of("a", "b"), key.scope(),
        key.defaultTokenLifetime(), key.createdAt(), 2);
    assertThat(store.updateApiKey(1, edited)).isTrue();
    assertThat(store.findApiKey(k)).contains(edited);
    ApiKey stale = new ApiKey(k, "Stale", "", Map.of(), key.scope(), Optional.empty(), key.createdAt(), 2);
    assertThat(store.updateApiKey(1, stale)).isFalse();
    assertThat(store.findApiKey(k)).contains(edited);
  }

  @Test
  void apiKeysListInIdentifierOrder() {
    seedKey();
    List<String> ids = new ArrayList<>(List.of("k1", "b", "a", "K0", "_q", "k10", "k2"));
    for (String id : ids.subList(1, ids.size())) {
      store.insertApiKey(apiKey(sa.ref(), id), 100);
    }
    ids.sort(null);
    for (int size : new int[] {1, 2, 100}) {
      assertThat(all(p -> store.listApiKeys(sa.ref(), p), size)).extracting(x -> x.ref().id())
          .containsExactlyElementsOf(ids);
    }
    assertThat(store.countApiKeys(sa.ref())).isEqualTo(ids.size());
  }

  @Test
  void deletingAKeyDeletesAllItsTokensAndNothingElse() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    store.insertApiKey(k2, 100);
    List<TokenRecord> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TokenRecord t = token(k, "t" + i);
      store.insertToken(t, 100, T0);
      tokens.add(t);
    }
    TokenRecord survivor = token(k2.ref(), "t0");
    store.insertToken(survivor, 100, T0);

    Removal removal = store.deleteApiKey(k).orElseThrow();

    assertThat(removal.tokenLookupIds()).containsExactlyInAnyOrderElementsOf(
        tokens.stream().map(TokenRecord::lookupId).toList());
    assertThat(removal.principals()).isEmpty();
    for (TokenRecord t : tokens) {
      assertThat(store.findTokenByLookupId(t.lookupId())).isEmpty();
      assertThat(store.findToken(t.token().ref())).isEmpty();
    }
    assertThat(store.findTokenByLookupId(survivor.lookupId())).contains(survivor);
    assertThat(store.findPrincipal(sa.ref())).isPresent();
    assertThat(store.deleteApiKey(k)).isEmpty();
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void tokensRoundTripExactlyByRefAndByLookupId() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    TokenRecord noExpiry = token(k, "t2", Optional.empty());
    store.insertToken(t, 100, T0);
    store.insertToken(noExpiry, 100, T0);
    assertThat(store.findToken(t.token().ref())).contains(t);
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(t);
    assertThat(store.findTokenByLookupId(noExpiry.lookupId())).contains(noExpiry);
    assertThat(store.findTokenByLookupId("0000000000000000")).isEmpty();
    assertThat(store.findToken(new TokenRef(k, "nope"))).isEmpty();
  }

  @Test
  void lookupByLookupIdIsExactAndCaseSensitive() {
    // Lookup ids are base62: 'a' and 'A' are different digits. A store that compares them
    // case-insensitively lets a token with one letter's case flipped (and its checksum recomputed)
    // stand in for the real one, and keep verifying after the real one is revoked.
    ApiKeyRef k = seedKey();
    String id = "aB" + Fixtures.lookupId().substring(2);
    TokenRecord t = token(k, "t1", id);
    store.insertToken(t, 100, T0);
    assertThat(store.findTokenByLookupId(id)).contains(t);
    assertThat(store.findTokenByLookupId("A" + id.substring(1))).as("first letter's case flipped").isEmpty();
    assertThat(store.findTokenByLookupId("ab" + id.substring(2))).as("second letter's case flipped").isEmpty();
    assertThat(store.findTokenByLookupId(id.toUpperCase(Locale.ROOT))).as("upper case").isEmpty();
    assertThat(store.findTokenByLookupId(id.toLowerCase(Locale.ROOT))).as("lower case").isEmpty();
    assertThat(store.findTokenByLookupId(id + " ")).as("trailing space").isEmpty();
    assertThat(store.findTokenByLookupId(id.substring(0, id.length() - 1))).as("prefix").isEmpty();
    // a lookup id that differs only in case belongs to another token
    String twin = "Ab" + id.substring(2);
    TokenRecord t2 = token(k, "t2", twin);
    store.insertToken(t2, 100, T0);
    assertThat(store.findTokenByLookupId(twin)).contains(t2);
    assertThat(store.findTokenByLookupId(id)).contains(t);
  }

  @Test
  void tokenNeedsAnExistingKey() {
    seedKey();
    TokenRecord orphan = token(new ApiKeyRef(sa.ref(), "ghost"), "t1");
    assertThatThrownBy(() -> store.insertToken(orphan, 100, T0)).isInstanceOf(NotFoundException.class);
    assertThat(store.findTokenByLookupId(orphan.lookupId())).isEmpty();
  }

  @Test
  void tokenIdentifiersAreUniquePerKeyAndLookupIdsGlobally() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    store.insertApiKey(k2, 100);
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    TokenRecord sameIdOtherKey = token(k2.ref(), "t1");
    store.insertToken(sameIdOtherKey, 100, T0);
    TokenRecord dupId = token(k, "t1");
    assertThatThrownBy(() -> store.insertToken(dupId, 100, T0)).isInstanceOf(ConflictException.class);
    assertThat(store.findTokenByLookupId(dupId.lookupId())).isEmpty();

    dev.latchkey.Token clash = new dev.latchkey.Token(new TokenRef(k2.ref(), "t9"), t.lookupId(), "x", "", Map.of(),
        T0, Optional.empty(), TokenStatus.ACTIVE, Optional.empty(), Optional.empty(), Optional.empty(), 1);
    assertThatThrownBy(() -> store.insertToken(new TokenRecord(clash, hash(1, "z"), Optional.empty()), 100, T0))
        .isInstanceOf(ConflictException.class);
    assertThat(store.findToken(clash.ref())).isEmpty();
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(t);
  }

  @Test
  void tokenLimitCountsOnlyActiveUnexpiredTokens() {
    ApiKeyRef k = seedKey();
    Instant now = T0.plus(Duration.ofDays(1));
    store.insertToken(token(k, "active1"), 3, now);
    store.insertToken(token(k, "expired", Optional.of(now.minusSeconds(1))), 3, T0);
    TokenRecord revoked = token(k, "revoked");
    store.insertToken(revoked, 3, now);
    assertThat(store.updateToken(1, Fixtures.withStatus(revoked, TokenStatus.REVOKED))).isTrue();
    assertThat(store.countUsableTokens(k, now)).isEqualTo(1);
    store.insertToken(token(k, "active2"), 3, now);
    store.insertToken(token(k, "active3"), 3, now);
    assertThatThrownBy(() -> store.insertToken(token(k, "active4"), 3, now))
        .isInstanceOf(LimitExceededException.class);
    assertThat(store.findToken(new TokenRef(k, "active4"))).isEmpty();
    assertThat(store.countUsableTokens(k, now)).isEqualTo(3);
    assertThat(store.countUsableTokens(k, now.plus(Duration.ofDays(30)))).as("all expired later").isZero();
  }

  @Test
  void tokenUpdatesAreCompareAndSetAndKeepTheLookupId() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    TokenRecord rotated = Fixtures.rotated(t, hash(2, "new"), T0.plusSeconds(300));
    assertThat(store.updateToken(1, rotated)).isTrue();
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(rotated);
    assertThat(store.findToken(t.token().ref())).contains(rotated);
    TokenRecord stale = Fixtures.withName(t, "stale", Map.of());
    assertThat(store.updateToken(1, stale)).isFalse();
    assertThat(store.findToken(t.token().ref())).contains(rotated);
    TokenRecord ghost = Fixtures.withName(token(k, "ghost"), "x", Map.of());
    assertThat(store.updateToken(1, ghost)).isFalse();
    assertThat(store.findToken(ghost.token().ref())).isEmpty();
  }

  @Test
  void exactlyOneOfManyConcurrentUpdatesFromTheSameVersionWins() throws Exception {
    ApiKeyRef k = seedKey();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 10; round++) {
        TokenRecord t = token(k, "race" + round);
        store.insertToken(t, 1000, T0);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          TokenRecord candidate = Fixtures.rotated(t, hash(1, "r" + round + "x" + i), T0.plusSeconds(60));
          results.add(pool.submit(() -> {
            start.await();
            return store.updateToken(1, candidate);
          }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
          if (f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            winners++;
          }
        }
        assertThat(winners).as("round %d", round).isEqualTo(1);
        assertThat(store.findToken(t.token().ref()).orElseThrow().version()).isEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentInsertsRespectTheTokenLimitAndLoseNothing() throws Exception {
    ApiKeyRef k = seedKey();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      List<TokenRecord> candidates = new ArrayList<>();
      for (int i = 0; i < threads * 3; i++) {
        TokenRecord t = token(k, "c" + i);
        candidates.add(t);
        results.add(pool.submit(insert(start, t, 10)));
      }
      start.countDown();
      int inserted = 0;
      for (Future<Boolean> f : results) {
        if (f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          inserted++;
        }
      }
      assertThat(inserted).isEqualTo(10);
      assertThat(store.countUsableTokens(k, T0)).isEqualTo(10);
      assertThat(all(p -> store.listTokens(k, p), 4)).hasSize(10);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentInsertsOfDistinctTokensAllLand() throws Exception {
    ApiKeyRef k = seedKey();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      Set<String> lookupIds = new HashSet<>();
      for (int i = 0; i < threads * 25; i++) {
        TokenRecord t = token(k, "d" + i);
        lookupIds.add(t.lookupId());
        results.add(pool.submit(insert(start, t, 100_000)));
      }
      start.countDown();
      for (Future<Boolean> f : results) {
        assertThat(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      }
      List<TokenRecord> listed = all(p -> store.listTokens(k, p), 33);
      assertThat(listed).extracting(TokenRecord::lookupId).containsExactlyInAnyOrderElementsOf(lookupIds);
      for (String id : lookupIds) {
        assertThat(store.findTokenByLookupId(id)).isPresent();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private Callable<Boolean> insert(CountDownLatch start, TokenRecord t, int limit) {
    return () -> {
      start.await();
      try {
        store.insertToken(t, limit, T0);
        return true;
      } catch (LimitExceededException e) {
        return false;
      }
    };
  }

  @Test
  void tokensListInIdentifierOrderAcrossPages() {
    ApiKeyRef k = seedKey();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String id = (i % 3 == 0 ? "T" : i % 3 == 1 ? "t" : "_") + i;
      ids.add(id);
      store.insertToken(token(k, id), 1000, T0);
    }
    ids.sort(null);
    for (int size : new int[] {1, 5, 23, 24, 1000}) {
      assertThat(all(p -> store.listTokens(k, p), size)).extracting(t -> t.token().ref().id())
          .containsExactlyElementsOf(ids);
    }
    assertThat(store.listTokens(new ApiKeyRef(sa.ref(), "empty"), PageRequest.first()).items()).isEmpty();
  }

  @Test
  void tokensExpiringInAWindowAreListedByExpiryThenLookupIdAcrossKeys() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    store.insertApiKey(k2, 100);
    Instant from = T0.plus(Duration.ofDays(1));
    Instant to = T0.plus(Duration.ofDays(2));
    List<TokenRecord> inWindow = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      TokenRecord t = token(i % 2 == 0 ? k : k2.ref(), "w" + i, Optional.of(from.plusSeconds(3600L * (i % 4))));
      store.insertToken(t, 100, T0);
      inWindow.add(t);
    }
    TokenRecord atFrom = token(k, "atfrom", Optional.of(from));
    store.insertToken(atFrom, 100, T0);
    inWindow.add(atFrom);
    store.insertToken(token(k, "atto", Optional.of(to)), 100, T0); // exclusive end
    store.insertToken(token(k, "before", Optional.of(from.minusNanos(1))), 100, T0);
    store.insertToken(token(k, "never", Optional.empty()), 100, T0);
    TokenRecord revoked = token(k, "revoked", Optional.of(from.plusSeconds(10)));
    store.insertToken(revoked, 100, T0);
    store.updateToken(1, Fixtures.withStatus(revoked, TokenStatus.REVOKED));

    inWindow.sort(java.util.Comparator.<TokenRecord, Instant>comparing(t -> t.token().expiresAt().orElseThrow())
        .thenComparing(TokenRecord::lookupId));
    for (int size : new int[] {1, 3, 100}) {
      assertThat(all(p -> store.listTokensExpiringBetween(from, to, p), size)).extracting(TokenRecord::lookupId)
          .containsExactlyElementsOf(inWindow.stream().map(TokenRecord::lookupId).toList());
    }
  }

  @Test
  void lastUsedOnlyMovesForwardAndLeavesVersionAndFeedAlone() {
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long head = feedHead();
    Instant used = T0.plusSeconds(100);
    store.recordLastUsed(Map.of(t.lookupId(), used, "unknownLookupId0", used));
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(Fixtures.withLastUsed(t, used));
    store.recordLastUsed(Map.of(t.lookupId(), used.minusSeconds(50)));
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).contains(used);
    assertThat(feedHead()).isEqualTo(head);
    // an update afterwards keeps the stored last-used time
    TokenRecord renamed = Fixtures.withName(t, "renamed", Map.of());
    assertThat(store.updateToken(1, renamed)).isTrue();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().lastUsedAt()).contains(used);
  }

  @Test
  void hashUsageCountsCurrentAndPreviousHashesPerPepperVersion() {
    ApiKeyRef k = seedKey();
    TokenRecord a = token(k, "a");
    TokenRecord b = token(k, "b");
    store.insertToken(a, 100, T0);
    store.insertToken(b, 100, T0);
    store.updateToken(1, Fixtures.rotated(a, hash(2, "new"), T0.plusSeconds(60)));
    List<HashUsage> usage = store.hashUsage();
    assertThat(usage).containsExactlyInAnyOrder(new HashUsage("hmac-sha256", 1, 2), new HashUsage("hmac-sha256", 2, 1));
  }

  @Test
  void deletingATokenRemovesOnlyThatToken() {
    ApiKeyRef k = seedKey();
    TokenRecord a = token(k, "a");
    TokenRecord b = token(k, "b");
    store.insertToken(a, 100, T0);
    store.insertToken(b, 100, T0);
    assertThat(store.deleteToken(a.token().ref()).orElseThrow().tokenLookupIds()).containsExactly(a.lookupId());
    assertThat(store.findTokenByLookupId(a.lookupId())).isEmpty();
    assertThat(store.findTokenByLookupId(b.lookupId())).contains(b);
    assertThat(store.deleteToken(a.token().ref())).isEmpty();
  }

  // ---------------------------------------------------------------- pepper key-check values

  @Test
  void pepperChecksAreRecordedOnceAndNeverOverwritten() {
    assertThat(store.pepperChecks()).isEmpty();
    assertThat(store.addPepperCheck(1, "check-one")).isEqualTo("check-one");
    assertThat(store.addPepperCheck(1, "another-value")).as("the first value stays").isEqualTo("check-one");
    assertThat(store.addPepperCheck(2, "check-two")).isEqualTo("check-two");
    assertThat(store.pepperChecks()).containsOnly(Map.entry(1, "check-one"), Map.entry(2, "check-two"));
  }

  @Test
  void concurrentPepperChecksAgreeOnOneValue() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String mine = "value-" + i;
        results.add(pool.submit(() -> {
          start.await();
          return store.addPepperCheck(7, mine);
        }));
      }
      start.countDown();
      Set<String> seen = new HashSet<>();
      for (Future<String> f : results) {
        seen.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }
      assertThat(seen).hasSize(1);
      assertThat(store.pepperChecks()).containsEntry(7, seen.iterator().next());
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- change feed

  @Test
  void changeFeedRecordsEveryVerificationRelevantMutationOnceInOrder() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k, "t3");
    store.insertToken(t1, 100, T0);
    store.insertToken(t2, 100, T0);
    store.insertToken(t3, 100, T0);
    long start = feedHead();

    store.updateToken(1, Fixtures.rotated(t1, hash(1, "n"), T0.plusSeconds(5)));      // TOKEN t1
    store.updatePrincipal(1, sa.withEnabled(false));                                   // PRINCIPAL
    store.deleteToken(t2.token().ref());                                               // TOKEN t2
    store.updateApiKey(1, new ApiKey(k, "renamed", "", Map.of(), key.scope(), Optional.empty(), T0, 2)); // nothing
    store.recordLastUsed(Map.of(t3.lookupId(), T0.plusSeconds(9)));                     // nothing
    store.deleteApiKey(k);                                                              // TOKEN t1, TOKEN t3
    store.deletePrincipal(sa.ref());                                                    // PRINCIPAL

    List<Change> changes = changesAfter(start);
    assertThat(changes).extracting(Change::sequence)
        .containsExactly(start + 1, start + 2, start + 3, start + 4, start + 5, start + 6);
    assertThat(changes.subList(0, 3)).extracting(Change::type, Change::subject).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Change.Type.TOKEN, t1.lookupId()),
        org.assertj.core.groups.Tuple.tuple(Change.Type.PRINCIPAL, sa.ref().toString()),
        org.assertj.core.groups.Tuple.tuple(Change.Type.TOKEN, t2.lookupId()));
    assertThat(changes.subList(3, 5)).extracting(Change::type, Change::subject).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(Change.Type.TOKEN, t1.lookupId()),
        org.assertj.core.groups.Tuple.tuple(Change.Type.TOKEN, t3.lookupId()));
    assertThat(changes.get(5)).extracting(Change::type, Change::subject)
        .containsExactly(Change.Type.PRINCIPAL, sa.ref().toString());
    assertThat(feedHead()).isEqualTo(start + 6);
  }

  @Test
  void failedOrNoOpMutationsAppendNothing() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    TokenRecord revoked = Fixtures.withStatus(t, TokenStatus.REVOKED);
    assertThat(store.updateToken(1, revoked)).isTrue();
    Principal disabled = sa.withEnabled(false);
    assertThat(store.updatePrincipal(1, disabled)).isTrue();
    long start = feedHead();
    // stale: each would append if it were applied
    assertThat(store.updateToken(1, Fixtures.withExpiry(t, Optional.empty()))).isFalse();
    assertThat(store.updatePrincipal(1, Fixtures.withGrants(sa, Set.of(), Set.of()))).isFalse();
    assertThat(store.updatePrincipal(0, sa)).isFalse();
    assertThat(store.deleteToken(new TokenRef(k, "ghost"))).isEmpty();
    assertThatThrownBy(() -> store.insertToken(token(k, "t1"), 100, T0)).isInstanceOf(ConflictException.class);
    assertThat(feedHead()).isEqualTo(start);
    assertThat(changesAfter(start)).isEmpty();
  }

  @Test
  void changeFeedReaderResumingFromACursorSeesEverySequenceOnceWhileWritersRun() throws Exception {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    int writers = 4;
    int perWriter = 25;
    List<TokenRecord> records = new ArrayList<>();
    for (int i = 0; i < writers * perWriter; i++) {
      TokenRecord t = token(k, "f" + i);
      store.insertToken(t, 10_000, T0);
      records.add(t);
    }
    long start = feedHead();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        List<TokenRecord> mine = records.subList(w * perWriter, (w + 1) * perWriter);
        done.add(pool.submit(() -> {
          go.await();
          for (TokenRecord t : mine) {
            assertThat(store.updateToken(1, Fixtures.withStatus(t, TokenStatus.REVOKED))).isTrue();
          }
          return null;
        }));
      }
      go.countDown();
      ChangeFeed f = feed().orElseThrow();
      List<Long> seen = new ArrayList<>();
      long cursor = start;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (seen.size() < writers * perWriter) {
        assertThat(System.nanoTime()).as("reader timed out").isLessThan(deadline);
        for (Change c : f.changesSince(cursor, 5)) {
          seen.add(c.sequence());
          cursor = c.sequence();
        }
      }
      for (Future<?> d : done) {
        d.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      List<Long> expected = new ArrayList<>();
      for (long s = start + 1; s <= start + writers * perWriter; s++) {
        expected.add(s);
      }
      assertThat(seen).containsExactlyElementsOf(expected);
      assertThat(f.changesSince(cursor, 100)).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pruningRemovesOldChangesButKeepsTheNewest() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    TokenRecord current = t;
    for (int i = 0; i < 5; i++) {
      TokenRecord next = Fixtures.withExpiry(current, Optional.of(T0.plus(Duration.ofDays(20 + i))));
      assertThat(store.updateToken(current.version(), next)).isTrue();
      current = next;
    }
    ChangeFeed f = feed().orElseThrow();
    long head = f.latestSequence();
    assertThat(head).isEqualTo(start + 5);
    int pruned = f.pruneBefore(Instant.now().plus(Duration.ofDays(3650)));
    assertThat(pruned).isGreaterThanOrEqualTo(4);
    assertThat(f.latestSequence()).isEqualTo(head);
    List<Change> left = f.changesSince(0, 100);
    assertThat(left).extracting(Change::sequence).containsExactly(head);
    // a reader behind the pruned range sees the gap
    assertThat(f.changesSince(start, 100).get(0).sequence()).isGreaterThan(start + 1);
    // nothing older than a cutoff in the distant past is pruned
    assertThat(f.pruneBefore(Instant.EPOCH)).isZero();
    // numbering continues after pruning
    TokenRecord next = Fixtures.withStatus(current, TokenStatus.REVOKED);
    assertThat(store.updateToken(current.version(), next)).isTrue();
    assertThat(f.latestSequence()).isEqualTo(head + 1);
  }

  // ---------------------------------------------------------------- change feed: exactly what the verifier needs

  /*
   * A verifier caches tokens and principals and drops them when the feed names them. Each change it
   * depends on must append exactly the rows below, or another node keeps accepting a revoked,
   * expired, rotated-out or deleted credential until its cache entry ages out. Edits it never reads
   * must append nothing, so that the feed (kept for a day) does not grow with renames.
   */

  private static Tuple tokenChange(TokenRecord t) {
    return tuple(Change.Type.TOKEN, t.lookupId());
  }

  private static Tuple principalChange(PrincipalRef ref) {
    return tuple(Change.Type.PRINCIPAL, ref.toString());
  }

  /** The feed after {@code start} holds exactly these rows, in this order, numbered from start + 1. */
  private void assertFeedAfter(long start, Tuple... expected) {
    List<Change> changes = changesAfter(start);
    assertThat(changes).extracting(Change::type, Change::subject).containsExactly(expected);
    assertNumberedFrom(start, changes);
  }

  /** Like {@link #assertFeedAfter} for the rows of one cascading delete, whose order is the store's. */
  private void assertFeedAfterInAnyOrder(long start, Tuple... expected) {
    List<Change> changes = changesAfter(start);
    assertThat(changes).extracting(Change::type, Change::subject).containsExactlyInAnyOrder(expected);
    assertNumberedFrom(start, changes);
  }

  private void assertNumberedFrom(long start, List<Change> changes) {
    for (int i = 0; i < changes.size(); i++) {
      assertThat(changes.get(i).sequence()).as("sequence of change %d", i).isEqualTo(start + 1 + i);
    }
    assertThat(feedHead()).isEqualTo(start + changes.size());
  }

  /** Applies an update that must succeed and be stored as given. */
  private TokenRecord updated(TokenRecord before, TokenRecord after) {
    assertThat(store.updateToken(before.version(), after)).isTrue();
    assertThat(store.findToken(after.token().ref())).contains(after);
    return after;
  }

  private Principal updated(Principal before, Principal after) {
    assertThat(store.updatePrincipal(before.version(), after)).isTrue();
    assertThat(store.findPrincipal(after.ref())).contains(after);
    return after;
  }

  @Test
  void revokingATokenAppendsOneChangeForIt() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    store.insertToken(token(k, "t2"), 100, T0);
    long start = feedHead();
    updated(t, Fixtures.withStatus(t, TokenStatus.REVOKED));
    assertFeedAfter(start, tokenChange(t));
  }

  @Test
  void changingOnlyATokensExpiryAppendsOneChangeEachTime() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    TokenRecord later = updated(t, Fixtures.withExpiry(t, Optional.of(T0.plus(Duration.ofDays(20)))));
    TokenRecord nanoLater = updated(later, Fixtures.withExpiry(later, Optional.of(T0.plus(Duration.ofDays(20)).plusNanos(1))));
    TokenRecord never = updated(nanoLater, Fixtures.withExpiry(nanoLater, Optional.empty()));
    updated(never, Fixtures.withExpiry(never, Optional.of(T0.plusSeconds(1))));
    assertFeedAfter(start, tokenChange(t), tokenChange(t), tokenChange(t), tokenChange(t));
  }

  @Test
  void rotatingATokenAppendsOneChangeWithOrWithoutGrace() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    TokenRecord withGrace = updated(t, Fixtures.rotated(t, hash(1, "second"), T0.plusSeconds(300)));
    TokenRecord noGrace = new TokenRecord(Fixtures.withGraceEnded(withGrace).token(), hash(1, "third"), Optional.empty());
    updated(withGrace, noGrace);
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void shorteningOrEndingTheGracePeriodAppendsOneChangeEachTime() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    TokenRecord rotated = updated(t, Fixtures.rotated(t, hash(1, "second"), T0.plusSeconds(600)));
    long start = feedHead();
    TokenRecord shorter = updated(rotated, Fixtures.withGraceUntil(rotated, T0.plusSeconds(60)));
    updated(shorter, Fixtures.withGraceEnded(shorter));
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void reHashingATokenAppendsOneChangeEachTime() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();
    // a pepper upgrade: the same secret under another pepper version, nothing else changes
    TokenRecord upgraded = updated(t, Fixtures.rehashed(t, hash(2, "t1")));
    // another digest under the same scheme and version
    updated(upgraded, Fixtures.rehashed(upgraded, hash(2, "other")));
    assertFeedAfter(start, tokenChange(t), tokenChange(t));
  }

  @Test
  void deletingATokenAppendsOneChangeForIt() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    store.insertToken(token(k, "t2"), 100, T0);
    long start = feedHead();
    assertThat(store.deleteToken(t.token().ref())).isPresent();
    assertFeedAfter(start, tokenChange(t));
  }

  @Test
  void deletingAKeyAppendsOneChangePerTokenOfThatKeyOnly() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    ApiKey empty = apiKey(sa.ref(), "k3");
    store.insertApiKey(k2, 100);
    store.insertApiKey(empty, 100);
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k, "t3");
    for (TokenRecord t : List.of(t1, t2, t3)) {
      store.insertToken(t, 100, T0);
    }
    updated(t3, Fixtures.withStatus(t3, TokenStatus.REVOKED)); // a revoked token's deletion is announced too
    store.insertToken(token(k2.ref(), "u1"), 100, T0);
    long start = feedHead();
    assertThat(store.deleteApiKey(k)).isPresent();
    assertFeedAfterInAnyOrder(start, tokenChange(t1), tokenChange(t2), tokenChange(t3));
    long afterFirst = feedHead();
    assertThat(store.deleteApiKey(empty.ref())).isPresent();
    assertFeedAfter(afterFirst);
  }

  @Test
  void deletingAPrincipalAppendsItsTokensAndItself() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    ApiKey k2 = apiKey(sa.ref(), "k2");
    store.insertApiKey(k2, 100);
    TokenRecord t1 = token(k, "t1");
    TokenRecord t2 = token(k, "t2");
    TokenRecord t3 = token(k2.ref(), "t3");
    for (TokenRecord t : List.of(t1, t2, t3)) {
      store.insertToken(t, 100, T0);
    }
    Principal other = serviceAccount("acme", "bot2");
    store.insertPrincipal(other);
    ApiKey otherKey = apiKey(other.ref(), "k1");
    store.insertApiKey(otherKey, 100);
    store.insertToken(token(otherKey.ref(), "t1"), 100, T0);
    long start = feedHead();
    assertThat(store.deletePrincipal(sa.ref())).isPresent();
    assertFeedAfterInAnyOrder(start, tokenChange(t1), tokenChange(t2), tokenChange(t3), principalChange(sa.ref()));
  }

  @Test
  void deletingAnAccountAppendsEveryTokenAndPrincipalInIt() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t1 = token(k, "t1");
    store.insertToken(t1, 100, T0);
    Principal alice = user("acme", "alice");
    store.insertPrincipal(alice);
    ApiKey aliceKey = apiKey(alice.ref(), "mine");
    store.insertApiKey(aliceKey, 100);
    TokenRecord t2 = token(aliceKey.ref(), "t1");
    store.insertToken(t2, 100, T0);
    Principal idle = serviceAccount("acme", "idle"); // no keys
    store.insertPrincipal(idle);
    store.insertAccount(account("acme2"));
    Principal elsewhere = serviceAccount("acme2", "bot");
    store.insertPrincipal(elsewhere);
    ApiKey elsewhereKey = apiKey(elsewhere.ref(), "k1");
    store.insertApiKey(elsewhereKey, 100);
    store.insertToken(token(elsewhereKey.ref(), "t1"), 100, T0);
    long start = feedHead();
    assertThat(store.deleteAccount("acme")).isPresent();
    assertFeedAfterInAnyOrder(start, tokenChange(t1), tokenChange(t2),
        principalChange(sa.ref()), principalChange(alice.ref()), principalChange(idle.ref()));
  }

  @Test
  void disablingAndEnablingAPrincipalEachAppendOneChange() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    seedKey();
    long start = feedHead();
    Principal disabled = updated(sa, sa.withEnabled(false));
    updated(disabled, disabled.withEnabled(true));
    assertFeedAfter(start, principalChange(sa.ref()), principalChange(sa.ref()));
  }

  @Test
  void changingAPrincipalsPermissionsAppendsOneChangeEachTime() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    seedKey();
    long start = feedHead();
    Principal fewer = updated(sa, Fixtures.withGrants(sa, sa.roles(), Set.of("read")));
    Principal other = updated(fewer, Fixtures.withGrants(fewer, fewer.roles(), Set.of("write")));
    updated(other, Fixtures.withGrants(other, other.roles(), Set.of()));
    assertFeedAfter(start, principalChange(sa.ref()), principalChange(sa.ref()), principalChange(sa.ref()));
  }

  @Test
  void changingAPrincipalsRolesAppendsOneChangeEachTime() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    seedKey();
    long start = feedHead();
    Principal more = updated(sa, Fixtures.withGrants(sa, Set.of("deployer", "admin"), sa.permissions()));
    updated(more, Fixtures.withGrants(more, Set.of(), more.permissions()));
    assertFeedAfter(start, principalChange(sa.ref()), principalChange(sa.ref()));
  }

  @Test
  void changingAPrincipalsScopeAppendsOneChange() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    seedKey();
    long start = feedHead();
    updated(sa, Fixtures.withScope(sa, dev.latchkey.Scope.org("acme", "org1")));
    assertFeedAfter(start, principalChange(sa.ref()));
  }

  @Test
  void editsTheVerifierDoesNotReadAppendNothing() {
    assumeTrue(feed().isPresent(), "store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
    long start = feedHead();

    TokenRecord renamed = updated(t, Fixtures.withText(t, "renamed", "", t.token().tags()));
    TokenRecord described = updated(renamed, Fixtures.withText(renamed, "renamed", "now described", renamed.token().tags()));
    TokenRecord retagged = updated(described, Fixtures.withText(described, "renamed", "now described",
        Map.of("env", "prod", "team", "b")));
    TokenRecord untagged = updated(retagged, Fixtures.withText(retagged, "renamed", "now described", Map.of()));
    TokenRecord unchanged = updated(untagged, Fixtures.withText(untagged, "renamed", "now described", Map.of()));
    ApiKey keyRenamed = Fixtures.edited(key, "Renamed key", "another description", Map.of("x", "y"),
        Optional.of(Duration.ofDays(7)));
    assertThat(store.updateApiKey(1, keyRenamed)).isTrue();
    assertThat(store.updateApiKey(2, Fixtures.edited(keyRenamed, "Key", "", Map.of(), Optional.empty()))).isTrue();
    Principal saRenamed = updated(sa, Fixtures.withText(sa, "Renamed bot", "a new description"));
    updated(saRenamed, Fixtures.withText(saRenamed, "Bot", ""));

    assertThat(changesAfter(start)).as("changes appended by edits the verifier does not read").isEmpty();
    assertThat(feedHead()).isEqualTo(start);
    // and they used up no sequence numbers: the next relevant change is start + 1
    updated(unchanged, Fixtures.withStatus(unchanged, TokenStatus.REVOKED));
    assertFeedAfter(start, tokenChange(t));
  }

  // ---------------------------------------------------------------- end to end

  @Test
  void verificationWorksThroughLatchkeyAndNoSecretIsEverStored() {
    List<String> values = new ArrayList<>();
    try (dev.latchkey.Latchkey latchkey = dev.latchkey.Latchkey.builder()
        .store(store)
        .peppers(dev.latchkey.PepperKeyset.generate(new java.security.SecureRandom()))
        .tokenPrefix("tck")
        .auditListener(dev.latchkey.AuditListener.none())
        .build()) {
      dev.latchkey.TokenManager m = latchkey.manager();
      dev.latchkey.Actor system = dev.latchkey.Actor.system();
      m.createAccount(system, "acme", "Acme");
      Principal bot = m.createServiceAccount(system,
          dev.latchkey.NewServiceAccount.of(dev.latchkey.Scope.org("acme", "eng"), "bot", "Bot")
              .withPermissions(Set.of("deploy")));
      ApiKey k = m.createApiKey(system, dev.latchkey.NewApiKey.of(bot.ref(), "k1", "Key"));
      List<dev.latchkey.IssuedToken> issued = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        dev.latchkey.IssuedToken t = m.issueToken(system, dev.latchkey.NewToken.of(k.ref(), "t" + i, "Token " + i));
        issued.add(t);
        values.add(t.value().reveal());
        assertThat(latchkey.verifier().verify(t.value())).isInstanceOf(dev.latchkey.Verified.class);
      }
      dev.latchkey.IssuedToken rotated = m.rotateToken(system, issued.get(0).ref(),
          dev.latchkey.Rotation.withGrace(Duration.ofMinutes(5)));
      values.add(rotated.value().reveal());
      assertThat(latchkey.verifier().verify(rotated.value())).isInstanceOf(dev.latchkey.Verified.class);
      assertThat(latchkey.verifier().verify(issued.get(0).value())).as("old secret within grace")
          .isInstanceOf(dev.latchkey.Verified.class);
      m.revokeToken(system, issued.get(1).ref());
      assertThat(latchkey.verifier().verify(issued.get(1).value())).isEqualTo(
          dev.latchkey.Rejected.of(dev.latchkey.RejectReason.REVOKED));
      m.deleteToken(system, issued.get(2).ref());
      assertThat(latchkey.verifier().verify(issued.get(2).value())).isEqualTo(
          dev.latchkey.Rejected.of(dev.latchkey.RejectReason.UNKNOWN));
      latchkey.flushLastUsed();
      assertThat(store.findToken(issued.get(3).ref()).orElseThrow().token().lastUsedAt()).isPresent();

      StringBuilder everything = new StringBuilder();
      for (TokenRecord r : all(p -> store.listTokens(k.ref(), p), 100)) {
        everything.append(r).append(r.current().encoded())
            .append(r.previous().map(dev.latchkey.spi.CredentialHash::encoded).orElse("")).append('\n');
      }
      everything.append(store.findPrincipal(bot.ref()).orElseThrow()).append(store.findApiKey(k.ref()).orElseThrow());
      storageDump(store).ifPresent(everything::append);
      String text = everything.toString();
      int secretStart = "tck".length() + 1 + 3 + 1 + dev.latchkey.TokenFormat.ID_LENGTH + 1;
      for (String v : values) {
        String secret = v.substring(secretStart, secretStart + dev.latchkey.TokenFormat.SECRET_LENGTH);
        assertThat(text).doesNotContain(v).doesNotContain(secret)
            .doesNotContain(secret.substring(0, 16)).doesNotContain(secret.substring(secret.length() - 16));
      }
      assertThat(text).contains(issued.get(3).token().lookupId()); // the dump is not vacuous
    }
  }
}
