package dev.latchkey.jdbc;

import java.util.EnumMap;
import java.util.Map;

/**
 * Migrated databases shared by the tests of one class, one per kind, created on first use and
 * emptied on every {@link #fresh} call. Close it in {@code @AfterAll}.
 */
final class Databases implements AutoCloseable {
  private final Map<TestDatabase.Kind, TestDatabase> open = new EnumMap<>(TestDatabase.Kind.class);

  synchronized TestDatabase fresh(TestDatabase.Kind kind) {
    TestDatabase db = open.get(kind);
    if (db == null) {
      db = TestDatabase.create(kind).migrated();
      open.put(kind, db);
    } else {
      db.truncate();
    }
    return db;
  }

  @Override
  public synchronized void close() {
    open.values().forEach(TestDatabase::close);
    open.clear();
  }
}
