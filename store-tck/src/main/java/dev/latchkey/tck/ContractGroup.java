package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.account;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every group of contract tests shares: the store under test (a new, empty one per test, from
 * {@link TokenStoreContract#createStore()}), the standard fixture, listing and feed helpers, and
 * {@link #race}.
 */
abstract class ContractGroup {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final TokenStoreContract contract;
  protected TokenStore store;

  ContractGroup(TokenStoreContract contract) {
    this.contract = contract;
  }

  @BeforeEach
  void bindStore() {
    store = contract.store;
  }

  Optional<String> storageDump() {
    return contract.storageDump(store);
  }

  // ---- the standard fixture

  Principal sa;
  ApiKey key;

  /** Account "acme" with service account "bot" and its key "k1". */
  ApiKeyRef seedKey() {
    store.insertAccount(account("acme"));
    sa = serviceAccount("acme", "bot");
    store.insertPrincipal(sa);
    key = apiKey(sa.ref(), "k1");
    store.insertApiKey(key, 100);
    return key.ref();
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

  // ---- concurrency

  /** One racer of {@link #race}: gets its index, returns its result. */
  @FunctionalInterface
  interface Racer<T> {
    T run(int index) throws Exception;
  }

  /**
   * Runs {@code task} on {@code n} threads at once, with indexes 0 to n - 1, released together, and
   * returns their results by index. A racer that throws (an assertion included) fails the test, and
   * so does a race not over within {@link #TIMEOUT}.
   */
  static <T> List<T> race(int n, Racer<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> running = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        running.add(pool.submit(() -> {
          start.await();
          return task.run(index);
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : running) {
        results.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
