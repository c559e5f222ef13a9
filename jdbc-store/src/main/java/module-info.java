/**
 * The JDBC store over any {@code javax.sql.DataSource}. The driver (H2, PostgreSQL) is the
 * application's: this module needs only {@code java.sql}. The schema scripts' folders are open so
 * that migration tools (Flyway, Liquibase) can read them on the module path too.
 */
module dev.latchkey.jdbc {
  exports dev.latchkey.jdbc;
  opens db.latchkey.h2;
  opens db.latchkey.postgresql;

  requires transitive dev.latchkey;
  requires transitive java.sql;
  requires org.slf4j;
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
