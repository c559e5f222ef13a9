package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.token;
import static dev.latchkey.tck.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Required core: API keys. Unique per owner, updated compare-and-set, listed by identifier, deleted with
 * their tokens.
 */
abstract class ApiKeysContract extends ContractGroup {
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
    ApiKey dup = new ApiKey(k, "Other", "", Map.of(), key.scope(), null, T0, 1);
    assertThatThrownBy(() -> store.insertApiKey(dup, 100)).isInstanceOf(ConflictException.class);
    assertThat(store.findApiKey(k)).contains(key);
    Principal u = insert(user("acme", "alice"));
    ApiKey sameIdOtherOwner = insert(apiKey(u.ref(), "k1"));
    assertThat(store.findApiKey(sameIdOtherOwner.ref())).contains(sameIdOtherOwner);
  }

  @Test
  void apiKeyUpdatesAreCompareAndSet() {
    ApiKeyRef k = seedKey();
    ApiKey edited = new ApiKey(k, "Renamed", "new description", Map.of("a", "b"), key.scope(),
        key.defaultTokenLifetime(), key.createdAt(), 2);
    assertThat(store.updateApiKey(1, edited)).isTrue();
    assertThat(store.findApiKey(k)).contains(edited);
    ApiKey stale = new ApiKey(k, "Stale", "", Map.of(), key.scope(), null, key.createdAt(), 2);
    assertThat(store.updateApiKey(1, stale)).isFalse();
    assertThat(store.findApiKey(k)).contains(edited);
  }

  @Test
  void apiKeysListInIdentifierOrder() {
    seedKey();
    List<String> ids = new ArrayList<>(List.of("k1", "b", "a", "K0", "_q", "k10", "k2"));
    for (String id : ids.subList(1, ids.size())) {
      insert(apiKey(sa.ref(), id));
    }
    ids.sort(null);
    for (int size : new int[] {1, 2, 100}) {
      assertThat(all(p -> store.listApiKeys(sa.ref(), p), size)).extracting(x -> x.ref().id())
          .containsExactlyElementsOf(ids);
    }
  }

  @Test
  void deletingAKeyDeletesAllItsTokensAndNothingElse() {
    ApiKeyRef k = seedKey();
    ApiKey k2 = insert(apiKey(sa.ref(), "k2"));
    List<TokenRecord> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TokenRecord t = insert(token(k, "t" + i));
      tokens.add(t);
    }
    TokenRecord survivor = insert(token(k2.ref(), "t0"));

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
}
