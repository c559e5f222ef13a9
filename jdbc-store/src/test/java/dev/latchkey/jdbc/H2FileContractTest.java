package dev.latchkey.jdbc;

import dev.latchkey.spi.TokenStore;
import dev.latchkey.tck.TokenStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on an H2 file database (temporary directory), emptied before each test. */
class H2FileContractTest extends TokenStoreContract {
  private static TestDatabase db;

  @BeforeAll
  static void open() {
    db = TestDatabase.h2File().migrated();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Override
  protected TokenStore createStore() {
    db.truncate();
    return db.store();
  }

  @Override
  protected Optional<String> storageDump(TokenStore store) {
    return Optional.of(TableDump.of(db.dataSource()).toString());
  }
}
