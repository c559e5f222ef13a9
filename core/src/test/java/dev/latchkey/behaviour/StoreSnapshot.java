package dev.latchkey.behaviour;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalType;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Everything a store holds, read through its own API, for "nothing changed" assertions. */
final class StoreSnapshot {
  private StoreSnapshot() {}

  static List<Object> of(TokenStore store) {
    List<Object> out = new ArrayList<>();
    for (Account a : all(store::listAccounts)) {
      out.add(a);
      for (PrincipalType type : PrincipalType.values()) {
        for (Principal p : all(page -> store.listPrincipals(a.id(), type, page))) {
          out.add(p);
          for (ApiKey k : all(page -> store.listApiKeys(p.ref(), page))) {
            out.add(k);
            for (TokenRecord t : all(page -> store.listTokens(k.ref(), page))) {
              out.add(t.token());
              out.add(t.current().encoded());
              out.add(t.previous() == null ? "-" : t.previous().encoded());
            }
          }
        }
      }
    }
    out.add("feed@" + store.changeFeed().map(f -> f.latestSequence()).orElse(-1L));
    return out;
  }

  private static <T> List<T> all(Function<PageRequest, Page<T>> lister) {
    List<T> items = new ArrayList<>();
    Optional<PageRequest> next = Optional.of(PageRequest.first(1000));
    while (next.isPresent()) {
      Page<T> page = lister.apply(next.get());
      items.addAll(page.items());
      next = page.next(1000);
    }
    return items;
  }
}
