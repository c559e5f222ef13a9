package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.account;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every group of contract tests shares: the store under test (a new, empty one per test, from
 * {@link TokenStoreContract#createStore()}), the skip of a capability group for a store without the
 * capability, the standard fixture, and listing and feed helpers. Concurrency tests use {@link
 * Race#race}.
 */
abstract class ContractGroup {
  /** The optional capabilities of a {@link TokenStore}, each tested by its own group. */
  enum Capability {
    CHANGE_FEED("a change feed", s -> s.changeFeed().isPresent()),
    EXPIRING_TOKENS("the expiring-tokens query", s -> s.expiringTokenQuery().isPresent()),
    HASH_USAGE("hash-usage statistics", s -> s.hashUsageQuery().isPresent()),
    LAST_USED("a last-used sink", s -> s.lastUsedSink().isPresent());

    private final String description;
    private final Predicate<TokenStore> offeredBy;

    Capability(String description, Predicate<TokenStore> offeredBy) {
      this.description = description;
      this.offeredBy = offeredBy;
    }
  }

  protected TokenStore store;

  /** The contract under test: the nested group's enclosing {@link TokenStoreContract}. */
  abstract TokenStoreContract contract();

  /** Marks a group that tests an optional capability: its tests are skipped for a store without it. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @interface Requires {
    Capability value();
  }

  /** Takes the test's store; skips the test if the group {@link Requires} a capability the store lacks. */
  @BeforeEach
  void bindStore() {
    store = contract().store;
    Requires requires = getClass().getAnnotation(Requires.class);
    assumeTrue(requires == null || requires.value().offeredBy.test(store),
        () -> "the store does not offer " + requires.value().description);
  }

  Optional<String> storageDump() {
    return contract().storageDump(store);
  }

  // ---- the standard fixture

  Principal sa;
  ApiKey key;

  /** Account "acme" with service account "bot" and its key "k1". */
  ApiKeyRef seedKey() {
    store.insertAccount(account("acme"));
    sa = insert(serviceAccount("acme", "bot"));
    key = insert(apiKey(sa.ref(), "k1"));
    return key.ref();
  }

  /** {@link #seedKey()} with one token, "t1", in key "k1". */
  TokenRecord seedToken() {
    return insert(token(seedKey(), "t1"));
  }

  /** Inserts the principal; returns it. */
  Principal insert(Principal p) {
    store.insertPrincipal(p);
    return p;
  }

  /** Inserts the key under a limit it does not reach; returns it. */
  ApiKey insert(ApiKey k) {
    store.insertApiKey(k, 100);
    return k;
  }

  /** Inserts the token at {@link Fixtures#T0} under a limit it does not reach; returns it. */
  TokenRecord insert(TokenRecord t) {
    store.insertToken(t, 100, T0);
    return t;
  }

  /** Inserts the tokens in order, as {@link #insert(TokenRecord)} does. */
  void insert(TokenRecord first, TokenRecord... more) {
    insert(first);
    for (TokenRecord t : more) {
      insert(t);
    }
  }

  /** Deletes the principal at the version it has now (any version if it is gone). */
  Optional<Removal> deleteCurrent(PrincipalRef ref) {
    return store.deletePrincipal(ref, store.findPrincipal(ref).map(Principal::version).orElse(1L));
  }

  // ---- listings

  /** Every item, page by page; checks that no page is larger than asked. */
  static <T> List<T> all(Function<PageRequest, Page<T>> lister, int pageSize) {
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

  /** How many of the key's tokens are active and unexpired at {@code now}, read through the listing. */
  long usableTokens(ApiKeyRef k, Instant now) {
    return all(p -> store.listTokens(k, p), 50).stream().filter(t -> t.token().isUsableAt(now)).count();
  }

  // ---- the change feed (when the store has one)

  long feedHead() {
    return store.changeFeed().map(ChangeFeed::latestSequence).orElse(0L);
  }

  /** Every change after {@code after}, read in small batches as a poller would. */
  List<dev.latchkey.spi.Change> changesAfter(long after) {
    ChangeFeed f = store.changeFeed().orElseThrow();
    List<dev.latchkey.spi.Change> all = new ArrayList<>();
    while (true) {
      List<dev.latchkey.spi.Change> batch = f.changesSince(after, 7);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
      after = batch.get(batch.size() - 1).sequence();
    }
  }

  /** Applies an update that must succeed and be stored as given. */
  TokenRecord updated(TokenRecord before, TokenRecord after) {
    assertThat(store.updateToken(before.version(), after)).isTrue();
    assertThat(store.findToken(after.token().ref())).contains(after);
    return after;
  }

  Principal updated(Principal before, Principal after) {
    assertThat(store.updatePrincipal(before.version(), after)).isTrue();
    assertThat(store.findPrincipal(after.ref())).contains(after);
    return after;
  }
}
