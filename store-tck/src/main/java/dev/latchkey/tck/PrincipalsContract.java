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
  PrincipalsContract(TokenStoreContract contract) {
    super(contract);
  }

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
    TokenRecord t = token(k, "t1");
    store.insertToken(t, 100, T0);
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
