package dev.latchkey.jdbc;

import dev.latchkey.spi.TokenStore;
import dev.latchkey.tck.TokenStoreContract;
import java.util.Optional;

/** The store contract on a fresh H2 in-memory database per test. */
class H2MemoryContractTest extends TokenStoreContract {
  private TestDatabase db;

  @Override
  protected TokenStore createStore() {
    db = TestDatabase.h2Memory().migrated();
    return db.store();
  }

  @Override
  protected void releaseStore(TokenStore store) {
    db.close();
  }

  @Override
  protected Optional<String> storageDump(TokenStore store) {
    return Optional.of(TableDump.of(db.dataSource()).toString());
  }
}
