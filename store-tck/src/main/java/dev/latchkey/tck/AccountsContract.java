package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.account;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.serviceAccount;
import static dev.latchkey.tck.Fixtures.token;
import static dev.latchkey.tck.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Required core: accounts. Inserted once, found, listed by identifier, deleted with everything in them.
 */
abstract class AccountsContract extends ContractGroup {
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
    Principal u = insert(user("acme", "alice"));
    ApiKey uk = insert(apiKey(u.ref(), "mine"));
    TokenRecord t1 = insert(token(k, "t1"));
    TokenRecord t2 = insert(token(uk.ref(), "t2"));
    // a second account is untouched
    store.insertAccount(account("acme2"));
    Principal other = insert(serviceAccount("acme2", "bot"));

    Removal removal = store.deleteAccount("acme").orElseThrow();

    assertThat(removal.principals()).containsExactlyInAnyOrder(sa.ref(), u.ref());
    assertThat(removal.tokenLookupIds()).containsExactlyInAnyOrder(t1.lookupId(), t2.lookupId());
    assertThat(store.findPrincipal(sa.ref())).isEmpty();
    assertThat(store.findApiKey(k)).isEmpty();
    assertThat(store.findTokenByLookupId(t1.lookupId())).isEmpty();
    assertThat(store.findTokenByLookupId(t2.lookupId())).isEmpty();
    assertThat(store.findPrincipal(other.ref())).contains(other);
  }
}
