package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.account;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static dev.latchkey.tck.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.NotFoundException;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Required core: principals. Unique per account and type, updated and deleted compare-and-set, listed
 * by type, deleted with their keys and tokens.
 */
abstract class PrincipalsContract extends ContractGroup {
  @Test
  void principalsRoundTripExactly() {
    store.insertAccount(account("acme"));
    Principal s = insert(serviceAccount("acme", "bot"));
    Principal u = insert(user("acme", "bot")); // same id, other type: allowed
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
    insert(serviceAccount("acme", "bot"));
    insert(serviceAccount("acme2", "bot")); // same id, other account: allowed
    Principal dup = new Principal(PrincipalRef.serviceAccount("acme", "bot"), "Other", "", dev.latchkey.Scope.account("acme"),
        Set.of(), Set.of(), true, T0, 1);
    assertThatThrownBy(() -> store.insertPrincipal(dup)).isInstanceOf(ConflictException.class);
    assertThat(store.findPrincipal(dup.ref())).contains(serviceAccount("acme", "bot"));
  }

  @Test
  void principalUpdatesAreCompareAndSet() {
    store.insertAccount(account("acme"));
    Principal p = insert(serviceAccount("acme", "bot"));
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
      insert(serviceAccount("acme", id));
    }
    insert(user("acme", "alice"));
    insert(serviceAccount("acme0", "zz"));
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
    ApiKey k2 = insert(apiKey(sa.ref(), "k2"));
    TokenRecord t1 = insert(token(k, "t1"));
    TokenRecord t2 = insert(token(k2.ref(), "t2"));
    Principal other = insert(serviceAccount("acme", "bot2"));
    ApiKey otherKey = insert(apiKey(other.ref(), "k1"));
    TokenRecord t3 = insert(token(otherKey.ref(), "t1"));

    Removal removal = deleteCurrent(sa.ref()).orElseThrow();

    assertThat(removal.principals()).containsExactly(sa.ref());
    assertThat(removal.tokenLookupIds()).containsExactlyInAnyOrder(t1.lookupId(), t2.lookupId());
    assertThat(store.findApiKey(k)).isEmpty();
    assertThat(store.findApiKey(k2.ref())).isEmpty();
    assertThat(store.findToken(t1.token().ref())).isEmpty();
    assertThat(store.findTokenByLookupId(t3.lookupId())).contains(t3);
    assertThat(deleteCurrent(sa.ref())).isEmpty();
  }

  @Test
  void deletingAPrincipalIsCompareAndSetOnItsVersion() {
    ApiKeyRef k = seedKey();
    TokenRecord t = insert(token(k, "t1"));
    Principal promoted = Fixtures.withGrants(sa, Set.of("deployer", "admin"), sa.permissions());
    assertThat(store.updatePrincipal(1, promoted)).isTrue();

    assertThat(store.deletePrincipal(sa.ref(), 1)).as("the version before the promotion").isEmpty();
    assertThat(store.findPrincipal(sa.ref())).contains(promoted);
    assertThat(store.findApiKey(k)).isPresent();
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(t);
    assertThat(store.deletePrincipal(sa.ref(), 3)).as("a version not reached yet").isEmpty();
    assertThat(store.findPrincipal(sa.ref())).contains(promoted);

    Removal removal = store.deletePrincipal(sa.ref(), 2).orElseThrow();
    assertThat(removal.tokenLookupIds()).containsExactly(t.lookupId());
    assertThat(store.findPrincipal(sa.ref())).isEmpty();
    assertThat(store.deletePrincipal(sa.ref(), 2)).as("gone").isEmpty();
  }
}
