package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.hash;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.NotFoundException;
import dev.latchkey.PageRequest;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.TokenRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Required core: tokens. Unique per key (identifier) and globally (lookup id), updated compare-and-set
 * without ever changing the lookup id, listed by identifier, deleted one by one.
 */
abstract class TokensContract extends ContractGroup {
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
    ApiKey k2 = insert(apiKey(sa.ref(), "k2"));
    TokenRecord t = insert(token(k, "t1"));
    insert(token(k2.ref(), "t1"));
    TokenRecord dupId = token(k, "t1");
    assertThatThrownBy(() -> store.insertToken(dupId, 100, T0)).isInstanceOf(ConflictException.class);
    assertThat(store.findTokenByLookupId(dupId.lookupId())).isEmpty();

    dev.latchkey.Token clash = new dev.latchkey.Token(new TokenRef(k2.ref(), "t9"), t.lookupId(), "x", "", Map.of(),
        T0, null, TokenStatus.ACTIVE, null, null, null, 1);
    assertThatThrownBy(() -> store.insertToken(new TokenRecord(clash, hash(1, "z"), null), 100, T0))
        .isInstanceOf(ConflictException.class);
    assertThat(store.findToken(clash.ref())).isEmpty();
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(t);
  }

  @Test
  void tokenUpdatesAreCompareAndSetAndKeepTheLookupId() {
    ApiKeyRef k = seedKey();
    TokenRecord t = insert(token(k, "t1"));
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
  void deletingATokenRemovesOnlyThatToken() {
    ApiKeyRef k = seedKey();
    TokenRecord a = insert(token(k, "a"));
    TokenRecord b = insert(token(k, "b"));
    assertThat(store.deleteToken(a.token().ref()).orElseThrow().tokenLookupIds()).containsExactly(a.lookupId());
    assertThat(store.findTokenByLookupId(a.lookupId())).isEmpty();
    assertThat(store.findTokenByLookupId(b.lookupId())).contains(b);
    assertThat(store.deleteToken(a.token().ref())).isEmpty();
  }
}
