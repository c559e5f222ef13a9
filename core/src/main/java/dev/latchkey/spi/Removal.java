package dev.latchkey.spi;

import dev.latchkey.PrincipalRef;
import java.util.Set;

/** What a delete removed, including cascades; lets the caller invalidate its caches. */
public record Removal(Set<PrincipalRef> principals, Set<String> tokenLookupIds) {
  public Removal {
    principals = Set.copyOf(principals);
    tokenLookupIds = Set.copyOf(tokenLookupIds);
  }
}
