package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.hash;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static dev.latchkey.tck.Race.race;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.LimitExceededException;
import dev.latchkey.Principal;
import dev.latchkey.spi.TokenRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Required core under concurrent callers: compare-and-set lets exactly one of many win, limits hold,
 * nothing is lost, and concurrent nodes agree on one pepper key-check value.
 */
abstract class ConcurrencyContract extends ContractGroup {
  @Test
  void exactlyOneOfManyConcurrentUpdatesFromTheSameVersionWins() throws Exception {
    ApiKeyRef k = seedKey();
    for (int round = 0; round < 10; round++) {
      TokenRecord t = token(k, "race" + round);
      store.insertToken(t, 1000, T0);
      String r = "r" + round;
      List<Boolean> won = race(16,
          i -> store.updateToken(1, Fixtures.rotated(t, hash(1, r + "x" + i), T0.plusSeconds(60))));
      assertThat(won).as("round %d", round).containsOnlyOnce(true);
      assertThat(store.findToken(t.token().ref()).orElseThrow().version()).isEqualTo(2);
    }
  }

  @Test
  void aPrincipalDeleteAndAnUpdateFromTheSameVersionDoNotBothWin() throws Exception {
    // The manager deletes a principal at the version its access decision saw; a promotion landing
    // first must make that delete fail, and a delete landing first must make the promotion fail.
    store.insertAccount(Fixtures.account("acme"));
    for (int round = 0; round < 10; round++) {
      Principal p = insert(serviceAccount("acme", "bot" + round));
      ApiKey k = insert(apiKey(p.ref(), "k1"));
      TokenRecord t = insert(token(k.ref(), "t1"));
      Principal promoted = Fixtures.withGrants(p, Set.of("deployer", "admin"), p.permissions());
      List<Boolean> won = race(2, i -> i == 0
          ? store.updatePrincipal(1, promoted)
          : store.deletePrincipal(p.ref(), 1).isPresent());
      assertThat(won).as("round %d: [update, delete]", round).containsOnlyOnce(true);
      if (won.get(0)) {
        assertThat(store.findPrincipal(p.ref())).contains(promoted);
        assertThat(store.findTokenByLookupId(t.lookupId())).contains(t);
      } else {
        assertThat(store.findPrincipal(p.ref())).isEmpty();
        assertThat(store.findTokenByLookupId(t.lookupId())).isEmpty();
      }
    }
  }

  @Test
  void concurrentInsertsRespectTheTokenLimitAndLoseNothing() throws Exception {
    ApiKeyRef k = seedKey();
    // 8 threads, 3 inserts each, under a limit of 10
    List<Integer> inserted = race(8, i -> {
      int mine = 0;
      for (int j = 0; j < 3; j++) {
        try {
          store.insertToken(token(k, "c" + i + "_" + j), 10, T0);
          mine++;
        } catch (LimitExceededException e) {
          // the limit was reached: expected for 14 of the 24
        }
      }
      return mine;
    });
    assertThat(inserted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    assertThat(usableTokens(k, T0)).isEqualTo(10);
    assertThat(all(p -> store.listTokens(k, p), 4)).hasSize(10);
  }

  @Test
  void concurrentInsertsOfDistinctTokensAllLand() throws Exception {
    ApiKeyRef k = seedKey();
    List<List<TokenRecord>> perThread = new ArrayList<>();
    Set<String> lookupIds = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      List<TokenRecord> mine = new ArrayList<>();
      for (int j = 0; j < 25; j++) {
        TokenRecord t = token(k, "d" + i + "_" + j);
        mine.add(t);
        lookupIds.add(t.lookupId());
      }
      perThread.add(mine);
    }
    race(8, i -> {
      for (TokenRecord t : perThread.get(i)) {
        store.insertToken(t, 100_000, T0);
      }
      return null;
    });
    List<TokenRecord> listed = all(p -> store.listTokens(k, p), 33);
    assertThat(listed).extracting(TokenRecord::lookupId).containsExactlyInAnyOrderElementsOf(lookupIds);
    for (String id : lookupIds) {
      assertThat(store.findTokenByLookupId(id)).isPresent();
    }
  }

  @Test
  void concurrentPepperChecksAgreeOnOneValue() throws Exception {
    List<String> recorded = race(8, i -> store.addPepperCheck(7, "value-" + i));
    Set<String> seen = new HashSet<>(recorded);
    assertThat(seen).hasSize(1);
    assertThat(store.addPepperCheck(7, "a latecomer")).isEqualTo(seen.iterator().next());
  }
}
