package dev.latchkey.jdbc;

import static dev.latchkey.jdbc.Seed.T0;
import static dev.latchkey.tck.Race.race;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Eight threads against H2 (file) and PostgreSQL: nothing lost, nothing duplicated, limits and CAS hold. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final Databases DATABASES = new Databases();

  @AfterAll
  static void closeDatabases() {
    DATABASES.close();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRESQL"})
  void issuingFromEightThreadsLosesNothingAndDuplicatesNothing(TestDatabase.Kind kind) throws Exception {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    Seed seed = Seed.standard(store);
    List<ApiKeyRef> keys = List.of(seed.k1.ref(), seed.k2.ref());
    int perThread = 30;
    Set<String> lookupIds = ConcurrentHashMap.newKeySet();
    race(THREADS, thread -> {
      for (int i = 0; i < perThread; i++) {
        TokenRecord t = Seed.token(keys.get(i % 2), "c" + thread + "_" + i);
        store.insertToken(t, 100_000, T0);
        lookupIds.add(t.lookupId());
      }
      return null;
    });
    assertThat(lookupIds).hasSize(THREADS * perThread);
    List<TokenRecord> listed = new ArrayList<>();
    for (ApiKeyRef k : keys) {
      listed.addAll(all(p -> store.listTokens(k, p), 37));
    }
    Set<String> listedIds = new HashSet<>();
    listed.forEach(t -> assertThat(listedIds.add(t.lookupId())).as("duplicate %s", t.lookupId()).isTrue());
    Set<String> seeded = Set.of(seed.token("t1").lookupId(), seed.token("t2").lookupId(),
        seed.token("t3").lookupId(), seed.token("t4").lookupId());
    assertThat(listedIds).containsAll(lookupIds).containsAll(seeded).hasSize(lookupIds.size() + seeded.size());
    for (String id : lookupIds) {
      assertThat(store.findTokenByLookupId(id)).isPresent();
    }

    // the same identifier from eight threads: exactly one insert wins, the others conflict
    List<Object> outcomes = race(THREADS, thread -> {
      try {
        store.insertToken(Seed.token(seed.k1.ref(), "same"), 100_000, T0);
        return "inserted";
      } catch (ConflictException e) {
        return "conflict";
      }
    });
    assertThat(outcomes).filteredOn("inserted"::equals).hasSize(1);
    assertThat(outcomes).filteredOn("conflict"::equals).hasSize(THREADS - 1);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRESQL"})
  void ofConcurrentCompareAndSetUpdatesExactlyOneWins(TestDatabase.Kind kind) throws Exception {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    Seed seed = Seed.standard(store);
    for (int round = 0; round < 10; round++) {
      TokenRecord t = Seed.token(seed.k1.ref(), "race" + round);
      store.insertToken(t, 1000, T0);
      long head = store.latestSequence();
      int r = round;
      List<Object> won = race(THREADS, thread ->
          store.updateToken(1, Seed.rotated(t, Seed.hash(1, "r" + r + "x" + thread), T0.plusSeconds(60))));
      assertThat(won).filteredOn(Boolean.TRUE::equals).as("round %d", round).hasSize(1);
      TokenRecord stored = store.findToken(t.token().ref()).orElseThrow();
      assertThat(stored.version()).isEqualTo(2);
      assertThat(store.changesSince(head, 100)).extracting(Change::subject).containsExactly(t.lookupId());
    }
    Principal bot = seed.bot;
    List<Object> won = race(THREADS, thread -> store.updatePrincipal(1, bot.withEnabled(thread % 2 == 0)));
    assertThat(won).filteredOn(Boolean.TRUE::equals).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRESQL"})
  void limitsHoldUnderConcurrentInserts(TestDatabase.Kind kind) throws Exception {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    Seed seed = Seed.standard(store);
    // k2 holds t4 already: with a limit of 6, five more fit
    List<Object> tokenOutcomes = race(THREADS, thread -> {
      int inserted = 0;
      for (int i = 0; i < 2; i++) {
        try {
          store.insertToken(Seed.token(seed.k2.ref(), "l" + thread + "_" + i), 6, T0);
          inserted++;
        } catch (LimitExceededException e) {
          // expected for all but five
        }
      }
      return inserted;
    });
    assertThat(tokenOutcomes.stream().mapToInt(o -> (Integer) o).sum()).isEqualTo(5);
    assertThat(all(p -> store.listTokens(seed.k2.ref(), p), 5)).filteredOn(t -> t.token().isUsableAt(T0)).hasSize(6);

    // bot has k1 and k2: with a limit of 4, two more keys fit
    List<Object> keyOutcomes = race(THREADS, thread -> {
      try {
        store.insertApiKey(Seed.apiKey(seed.bot.ref(), "lim" + thread), 4);
        return true;
      } catch (LimitExceededException e) {
        return false;
      }
    });
    assertThat(keyOutcomes).filteredOn(Boolean.TRUE::equals).hasSize(2);
    assertThat(all(p -> store.listApiKeys(seed.bot.ref(), p), 5)).hasSize(4);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRESQL"})
  void cascadingDeletesRaceCleanlyWithInsertsBelowThem(TestDatabase.Kind kind) throws Exception {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    Seed seed = Seed.standard(store);
    Set<String> inserted = ConcurrentHashMap.newKeySet();
    inserted.add(seed.token("t1").lookupId());
    inserted.add(seed.token("t2").lookupId());
    inserted.add(seed.token("t3").lookupId());
    inserted.add(seed.token("t4").lookupId());
    CountDownLatch someInserted = new CountDownLatch(10);
    List<Removal> removals = Collections.synchronizedList(new ArrayList<>());
    List<Object> outcomes = race(THREADS, thread -> {
      if (thread == 0) {
        someInserted.await(30, TimeUnit.SECONDS);
        removals.add(store.deletePrincipal(seed.bot.ref(), seed.bot.version()).orElseThrow());
        return "deleted";
      }
      int notFound = 0;
      for (int i = 0; i < 40; i++) {
        TokenRecord t = Seed.token(i % 2 == 0 ? seed.k1.ref() : seed.k2.ref(), "r" + thread + "_" + i);
        try {
          store.insertToken(t, 100_000, T0);
          inserted.add(t.lookupId());
          someInserted.countDown();
        } catch (NotFoundException e) {
          notFound++;
        }
        if (i % 5 == 0) {
          try {
            store.insertApiKey(Seed.apiKey(seed.bot.ref(), "x" + thread + "_" + i), 100_000);
          } catch (NotFoundException e) {
            notFound++;
          }
        }
      }
      return notFound;
    });
    assertThat(outcomes).contains("deleted");
    Removal removal = removals.get(0);
    assertThat(removal.tokenLookupIds()).as("every token that made it in was removed by the cascade")
        .containsExactlyInAnyOrderElementsOf(inserted);
    assertThat(store.findPrincipal(seed.bot.ref())).isEmpty();
    assertThat(store.listApiKeys(seed.bot.ref(), PageRequest.first()).items()).isEmpty();
    assertThat(store.listTokens(seed.k1.ref(), PageRequest.first()).items()).isEmpty();
    for (String id : inserted) {
      assertThat(store.findTokenByLookupId(id)).isEmpty();
    }
    // untouched: alice and the other account
    assertThat(store.findTokenByLookupId(seed.token("t5").lookupId())).contains(seed.token("t5"));
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRESQL"})
  void aChangeFeedReaderSeesEverySequenceOnceAndInOrderWhileWritersRun(TestDatabase.Kind kind) throws Exception {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    Seed seed = Seed.standard(store);
    int writers = 6;
    int perWriter = 24;
    // each writer owns one key with perWriter tokens, and one principal it toggles
    Map<Integer, List<TokenRecord>> tokens = new HashMap<>();
    Map<Integer, Principal> principals = new HashMap<>();
    for (int w = 0; w < writers; w++) {
      Principal p = Seed.serviceAccount("acme", "w" + w);
      store.insertPrincipal(p);
      principals.put(w, p);
      ApiKey key = Seed.apiKey(p.ref(), "k");
      store.insertApiKey(key, 10);
      List<TokenRecord> mine = new ArrayList<>();
      for (int i = 0; i < perWriter; i++) {
        TokenRecord t = Seed.token(key.ref(), "t" + i);
        store.insertToken(t, 1000, T0);
        mine.add(t);
      }
      tokens.put(w, mine);
    }
    long start = store.latestSequence();
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    List<Change> changes = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch writersDone = new CountDownLatch(writers);
    List<Object> results = race(writers + 1, thread -> {
      if (thread == writers) { // the reader
        long cursor = start;
        while (true) {
          boolean finished = writersDone.getCount() == 0;
          List<Change> batch = store.changesSince(cursor, 5);
          for (Change c : batch) {
            seen.add(c.sequence());
            changes.add(c);
            cursor = c.sequence();
          }
          if (finished && batch.isEmpty()) {
            return cursor;
          }
        }
      }
      try {
        List<TokenRecord> mine = tokens.get(thread);
        Principal p = principals.get(thread);
        for (int i = 0; i < perWriter; i++) {
          TokenRecord t = mine.get(i);
          switch (i % 4) {
            case 0 -> assertThat(store.updateToken(1, Seed.revoked(t))).isTrue();
            case 1 -> assertThat(store.deleteToken(t.token().ref())).isPresent();
            case 2 -> {
              assertThat(store.updatePrincipal(p.version(), p.withEnabled(!p.enabled()))).isTrue();
              p = p.withEnabled(!p.enabled());
            }
            default -> store.lastUsedSink().orElseThrow()
                .recordLastUsed(Map.of(t.lookupId(), T0.plusSeconds(i))); // appends nothing
          }
        }
        // cascade: the key's remaining tokens, then nothing for the key itself
        store.deleteApiKey(mine.get(0).token().ref().apiKey()).orElseThrow();
        return null;
      } finally {
        writersDone.countDown();
      }
    });
    long end = store.latestSequence();
    assertThat(results.get(writers)).isEqualTo(end);
    List<Long> expected = new ArrayList<>();
    for (long s = start + 1; s <= end; s++) {
      expected.add(s);
    }
    assertThat(seen).as("every sequence exactly once, in order").containsExactlyElementsOf(expected);
    // per writer: 6 revocations + 6 deletes + 6 principal updates + (24 - 6 deleted) tokens by cascade
    int perWriterChanges = perWriter / 4 * 3 + (perWriter - perWriter / 4);
    assertThat(end - start).isEqualTo((long) writers * perWriterChanges);
    Map<String, Integer> tokenChanges = new HashMap<>();
    changes.stream().filter(c -> c.type() == Change.Type.TOKEN).forEach(c -> tokenChanges.merge(c.subject(), 1, Integer::sum));
    for (List<TokenRecord> mine : tokens.values()) {
      for (int i = 0; i < perWriter; i++) {
        int expectedChanges = switch (i % 4) {
          case 0 -> 2; // revoked, then removed by the cascade
          default -> 1; // deleted once, or removed by the cascade
        };
        assertThat(tokenChanges.get(mine.get(i).lookupId())).as("changes of token %d", i).isEqualTo(expectedChanges);
      }
    }
  }

  // ---- helpers

  static <T> List<T> all(Function<PageRequest, Page<T>> lister, int pageSize) {
    List<T> out = new ArrayList<>();
    PageRequest request = PageRequest.first(pageSize);
    while (true) {
      Page<T> page = lister.apply(request);
      out.addAll(page.items());
      if (page.nextCursor() == null) {
        return out;
      }
      request = page.next(pageSize).orElseThrow();
    }
  }
}
