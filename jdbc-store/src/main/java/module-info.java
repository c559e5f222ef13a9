/**
 * The JDBC store over any {@code javax.sql.DataSource}. The driver (H2, PostgreSQL) is the
 * application's: this module needs only {@code java.sql}. The schema scripts' folders are open so
 * that migration tools (Flyway, Liquibase) can read them on the module path too.
 */
// The PostgreSQL driver ships no module-info (automatic module org.postgresql.jdbc); it is read only
// for the optional NOTIFY wake-ups, so that one lint is silenced here rather than for the build.
@SuppressWarnings("requires-automatic")
module dev.latchkey.jdbc {
  exports dev.latchkey.jdbc;
  opens db.latchkey.h2;
  opens db.latchkey.postgresql;

  requires transitive dev.latchkey;
  requires transitive java.sql;
  requires org.slf4j;
  // Only for the optional PostgreSQL NOTIFY wake-ups (PgWakeUps, loaded only when they are turned on), which
  // receive notifications through the driver's own PGConnection: an application using them has the driver.
  requires static org.postgresql.jdbc;
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
