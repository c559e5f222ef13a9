package dev.latchkey.jdbc;

import dev.latchkey.spi.TokenStore;
import dev.latchkey.tck.TokenStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL database, emptied before each test. */
class PostgresContractTest extends TokenStoreContract {
  private static TestDatabase db;

  @BeforeAll
  static void open() {
    db = TestDatabase.postgres().migrated();
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
