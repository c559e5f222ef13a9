package dev.latchkey.jdbc;

import static dev.latchkey.jdbc.Seed.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Account;
import dev.latchkey.ConfigurationException;
import dev.latchkey.PageRequest;
import dev.latchkey.StoreException;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.tck.Race;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped scripts and the opt-in initializer. */
class SchemaTest {

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void migrationIsIdempotentAndKeepsData(TestDatabase.Kind kind) throws SQLException {
    try (TestDatabase db = TestDatabase.create(kind)) {
      assertThat(JdbcSchema.migrate(db.dataSource())).isEqualTo(JdbcSchema.latestVersion()).isEqualTo(6);
      JdbcTokenStore store = db.store();
      Seed seed = Seed.standard(store);
      var before = TableDump.of(db.dataSource());
      assertThat(JdbcSchema.migrate(db.dataSource())).isEqualTo(JdbcSchema.latestVersion());
      assertThat(JdbcSchema.migrate(db.dataSource(), db.dialect())).isEqualTo(JdbcSchema.latestVersion());
      assertThat(TableDump.of(db.dataSource())).isEqualTo(before);
      assertThat(versionRows(db.dataSource())).containsExactly("1 latchkey_schema V1__latchkey_schema.sql",
          "2 pepper_checks V2__pepper_checks.sql", "3 restrictions V3__restrictions.sql",
          "4 rate_limits V4__rate_limits.sql",
          "5 audit_trail_and_expiry_notices V5__audit_trail_and_expiry_notices.sql",
          "6 last_used_address V6__last_used_address.sql");
      assertThat(store.findTokenByLookupId(seed.token("t1").lookupId())).contains(seed.token("t1"));
    }
  }

  /**
   * A database at version 2 (before restrictions) with keys and tokens in it: version 3 adds the
   * restriction columns, and every existing key and token reads back unrestricted and unchanged.
   */
  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void upgradingFromVersion2LeavesExistingCredentialsUnrestricted(TestDatabase.Kind kind) throws SQLException {
    try (TestDatabase db = TestDatabase.create(kind)) {
      JdbcSchema.migrate(db.dataSource());
      Seed seed = Seed.standard(db.store());
      for (String table : List.of("latchkey_api_key", "latchkey_token")) {
        for (String column : List.of("restrict_permissions", "restrict_roles", "allowed_addresses")) {
          execute(db.dataSource(), "ALTER TABLE " + table + " DROP COLUMN " + column);
        }
      }
      // the later scripts are idempotent (IF NOT EXISTS), so their objects may stay while their rows go
      execute(db.dataSource(), "DELETE FROM latchkey_schema_version WHERE version >= 3");
      assertThatThrownBy(() -> JdbcSchema.validate(db.dataSource())).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("at version 2 but this library needs " + JdbcSchema.latestVersion());

      assertThat(JdbcSchema.migrate(db.dataSource())).isEqualTo(JdbcSchema.latestVersion());
      JdbcTokenStore store = db.store();
      TokenRecord t1 = seed.token("t1");
      assertThat(store.findTokenByLookupId(t1.lookupId())).contains(t1);
      assertThat(t1.token().restriction()).isEqualTo(dev.latchkey.Restriction.NONE);
      assertThat(store.findApiKey(t1.token().ref().apiKey()).orElseThrow().restriction())
          .isEqualTo(dev.latchkey.Restriction.NONE);
      assertThat(JdbcSchema.migrate(db.dataSource())).as("and again: nothing to do")
          .isEqualTo(JdbcSchema.latestVersion());
    }
  }

  /**
   * A database at version 5 with used tokens: version 6 adds the last-use address column, the
   * stored last-used times stay, the addresses read as unknown, and the sink then writes both.
   */
  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void upgradingFromVersion5KeepsLastUsedTimesWithoutAddresses(TestDatabase.Kind kind) throws SQLException {
    try (TestDatabase db = TestDatabase.create(kind)) {
      JdbcSchema.migrate(db.dataSource());
      Seed seed = Seed.standard(db.store());
      TokenRecord t1 = seed.token("t1");
      java.time.Instant used = t1.token().createdAt().plusSeconds(60);
      db.store().lastUsedSink().orElseThrow().recordLastUsed(Map.of(t1.lookupId(), used));
      execute(db.dataSource(), "ALTER TABLE latchkey_token DROP COLUMN last_used_address");
      execute(db.dataSource(), "DELETE FROM latchkey_schema_version WHERE version = 6");
      assertThatThrownBy(() -> JdbcSchema.validate(db.dataSource())).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("at version 5 but this library needs 6");

      assertThat(JdbcSchema.migrate(db.dataSource())).isEqualTo(6);
      JdbcTokenStore store = db.store();
      dev.latchkey.Token read = store.findTokenByLookupId(t1.lookupId()).orElseThrow().token();
      assertThat(read.lastUsedAt()).isEqualTo(used);
      assertThat(read.lastUsedFrom()).isNull();
      dev.latchkey.IpAddress from = dev.latchkey.IpAddress.parse("2001:db8::7");
      store.lastUsedSink().orElseThrow().recordLastUses(
          Map.of(t1.lookupId(), new dev.latchkey.spi.LastUse(used.plusSeconds(1), from)));
      assertThat(store.findTokenByLookupId(t1.lookupId()).orElseThrow().token().lastUsedFrom()).isEqualTo(from);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRESQL"})
  void eightNodesStartingAtOnceAllSucceedAndLeaveOneSchema(TestDatabase.Kind kind) throws Exception {
    try (TestDatabase db = TestDatabase.create(kind)) {
      List<Object> versions = Race.race(8, node -> JdbcSchema.migrate(db.dataSource()));
      assertThat(versions).containsOnly(JdbcSchema.latestVersion()).hasSize(8);
      assertThat(versionRows(db.dataSource())).hasSize(JdbcSchema.MIGRATIONS.size());
      assertThat(tables(db.dataSource())).containsAll(TableDump.TABLES).contains("latchkey_schema_version");
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(last_seq) FROM latchkey_change_counter")) {
        rs.next();
        assertThat(rs.getInt(1)).as("one counter row").isEqualTo(1);
        assertThat(rs.getLong(2)).isZero();
      }
      JdbcTokenStore store = db.store();
      Seed.standard(store);
      assertThat(store.latestSequence()).isEqualTo(3);
    }
  }

  @Test
  void anH2SchemaLeftHalfDoneIsCompletedByTheNextMigration() throws SQLException {
    try (TestDatabase db = TestDatabase.h2Memory()) {
      // H2 commits DDL one statement at a time: simulate a node that died after the first tables
      List<String> statements = JdbcSchema.statements(JdbcSchema.load("db/latchkey/h2/V1__latchkey_schema.sql"));
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        for (String sql : statements.subList(0, 3)) {
          s.execute(sql);
        }
      }
      assertThat(JdbcSchema.migrate(db.dataSource())).isEqualTo(JdbcSchema.latestVersion());
      Seed.standard(db.store());
    }
  }

  @Test
  void bothDialectsDefineTheSameTablesColumnsAndSizes() throws SQLException {
    try (TestDatabase h2 = TestDatabase.h2Memory().migrated(); TestDatabase pg = TestDatabase.postgres().migrated()) {
      Map<String, String> h2Columns = columns(h2.dataSource());
      Map<String, String> pgColumns = columns(pg.dataSource());
      assertThat(h2Columns).hasSizeGreaterThan(60).isEqualTo(pgColumns);
    }
  }

  @Test
  void postgresIdentifierColumnsSortInJavaStringOrder() throws SQLException {
    try (TestDatabase pg = TestDatabase.postgres().migrated();
        Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name, column_name, collation_name FROM information_schema.columns"
            + " WHERE table_name LIKE 'latchkey%' AND table_name <> 'latchkey_change' AND (column_name LIKE '%\\_id' OR column_name LIKE '%\\_type')")) {
      int n = 0;
      while (rs.next()) {
        assertThat(rs.getString(3)).as("%s.%s", rs.getString(1), rs.getString(2)).isEqualTo("C");
        n++;
      }
      assertThat(n).isEqualTo(16); // with latchkey_audit_event.account_id and latchkey_expiry_notice.lookup_id
    }
  }

  @Test
  void postgresAnswersLookupsAndListingsFromIndexes() throws SQLException {
    try (TestDatabase pg = TestDatabase.postgres().migrated()) {
      Seed.standard(pg.store());
      try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO latchkey_token (" + Rows.TOKEN_COLUMNS + ") SELECT 'acme', 'sa', 'bot', 'k1',"
            + " 'g' || i, 'L' || i, 'n', '', '{}', 0, 0, i, 0, 'ACTIVE', NULL, NULL, NULL, NULL, NULL, NULL,"
            + " 'hmac-sha256', 1, 'x', NULL, NULL, NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM generate_series(1, 20000) AS i");
        s.execute("ANALYZE");
        assertThat(plan(s, "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token WHERE lookup_id = 'L77'"))
            .contains("Index Scan using latchkey_token_lookup_ux");
        assertThat(plan(s, "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token WHERE account_id = 'acme'"
            + " AND owner_type = 'sa' AND owner_id = 'bot' AND key_id = 'k1' AND token_id > 'g500'"
            + " ORDER BY token_id FETCH FIRST 101 ROWS ONLY"))
            .contains("latchkey_token_pk").doesNotContain("Sort").doesNotContain("Seq Scan");
        assertThat(plan(s, "SELECT " + Rows.TOKEN_COLUMNS + " FROM latchkey_token"
            + " WHERE (expires_s, expires_ns) >= (100, 0) AND (expires_s, expires_ns) < (200, 0)"
            + " AND (expires_s, expires_ns, lookup_id) > (150, 0, 'L150') AND status = 'ACTIVE'"
            + " ORDER BY expires_s, expires_ns, lookup_id FETCH FIRST 11 ROWS ONLY"))
            .contains("latchkey_token_expiry_ix").doesNotContain("Seq Scan");
      }
    }
  }

  private static String plan(Statement s, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void identifiersListInJavaStringOrder(TestDatabase.Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind).migrated()) {
      JdbcTokenStore store = db.store();
      List<String> ids = new ArrayList<>(List.of("a", "A", "b", "B", "_", "__", "_a", "a_", "aa", "aA", "Aa", "z9",
          "Z9", "a0", "a9", "a10", "a1", "ZZ", "zz", "_Z", "_z", "a_b", "ab"));
      for (String id : ids) {
        store.insertAccount(new Account(id, "x", T0));
      }
      ids.sort(null);
      for (int size : new int[] {1, 4, 1000}) {
        assertThat(ConcurrencyTest.all(store::listAccounts, size)).extracting(Account::id).containsExactlyElementsOf(ids);
      }
      assertThat(store.listAccounts(PageRequest.after("_", 3)).items()).extracting(Account::id)
          .containsExactlyElementsOf(ids.subList(ids.indexOf("_") + 1, ids.indexOf("_") + 4));
    }
  }

  @Test
  void anH2DatabaseWithACollationIsRefused() throws SQLException {
    try (TestDatabase db = TestDatabase.h2Memory()) {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("SET COLLATION ENGLISH STRENGTH PRIMARY");
      }
      assertThatThrownBy(() -> JdbcSchema.migrate(db.dataSource()))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("collation");
    }
  }

  // ---- case-insensitive lookup ids: a variant of a token's lookup id must never find the token

  private static final String CASE_MESSAGE = "latchkey_token.lookup_id compares case-insensitively";

  @Test
  void theInitializerRefusesAnH2DatabaseOpenedWithIgnoreCaseBeforeCreatingAnything() throws SQLException {
    try (TestDatabase db = TestDatabase.h2Memory(";IGNORECASE=TRUE")) {
      assertThatThrownBy(() -> JdbcSchema.migrate(db.dataSource()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("IGNORECASE=TRUE")
          .hasMessageContaining("remove it from the JDBC URL");
      assertThat(tables(db.dataSource())).doesNotContain("latchkey_token", "latchkey_schema_version");
    }
  }

  @Test
  void aStoreOverAnIgnoreCaseSchemaAppliedByOtherToolsRefusesToWork() throws SQLException {
    // what Flyway or Liquibase would do on a database opened with IGNORECASE=TRUE: run the scripts as they are
    try (TestDatabase db = TestDatabase.h2Memory(";IGNORECASE=TRUE")) {
      applyScripts(db.dataSource(), Dialect.H2);
      JdbcTokenStore detected = JdbcTokenStore.builder(db.dataSource()).build();
      JdbcTokenStore explicit = JdbcTokenStore.builder(db.dataSource()).dialect(Dialect.H2).build();
      for (JdbcTokenStore store : List.of(detected, explicit)) {
        assertThatThrownBy(() -> store.findTokenByLookupId("xAbcdefghijklmno"))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining(CASE_MESSAGE)
            .hasMessageContaining("VARCHAR_IGNORECASE");
        assertThatThrownBy(() -> store.insertAccount(Seed.account("acme"))).isInstanceOf(ConfigurationException.class);
      }
      // Latchkey reads the store while it starts, so it refuses to start: nothing is issued or verified
      assertThatThrownBy(() -> dev.latchkey.Latchkey.builder()
          .store(JdbcTokenStore.builder(db.dataSource()).build())
          .peppers(dev.latchkey.PepperKeyset.generate(new java.security.SecureRandom()))
          .tokenPrefix("acme")
          .auditListener(dev.latchkey.AuditListener.none())
          .build())
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(CASE_MESSAGE);
    }
  }

  @Test
  void anH2LookupIdColumnMadeCaseInsensitiveLaterIsRefusedAndARunningStoreNeverMatchesAVariant() throws SQLException {
    try (TestDatabase db = TestDatabase.h2Memory().migrated()) {
      JdbcTokenStore running = db.store();
      Seed seed = Seed.standard(running);
      TokenRecord t1 = seed.token("t1");
      String variant = Character.toUpperCase(t1.lookupId().charAt(0)) + t1.lookupId().substring(1);
      assertThat(variant).isNotEqualTo(t1.lookupId());
      execute(db.dataSource(), "ALTER TABLE latchkey_token ALTER COLUMN lookup_id SET DATA TYPE VARCHAR_IGNORECASE(128)");

      // a store that checked the schema before the change still answers exactly
      assertThat(running.findTokenByLookupId(variant)).isEmpty();
      assertThat(running.findTokenByLookupId(t1.lookupId())).contains(t1);
      // a new store and the initializer refuse the schema
      assertThatThrownBy(() -> db.store().findTokenByLookupId(t1.lookupId()))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(CASE_MESSAGE);
      assertThatThrownBy(() -> JdbcSchema.migrate(db.dataSource()))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(CASE_MESSAGE);

      // repaired as the message says, everything works again
      execute(db.dataSource(), "ALTER TABLE latchkey_token ALTER COLUMN lookup_id SET DATA TYPE VARCHAR(128)");
      assertThat(JdbcSchema.migrate(db.dataSource())).isEqualTo(JdbcSchema.latestVersion());
      assertThat(db.store().findTokenByLookupId(t1.lookupId())).contains(t1);
      assertThat(db.store().findTokenByLookupId(variant)).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"citext", "nondeterministic collation"})
  void postgresRefusesACaseInsensitiveLookupIdColumn(String how) throws SQLException {
    try (TestDatabase db = TestDatabase.postgres().migrated()) {
      JdbcTokenStore running = db.store();
      Seed seed = Seed.standard(running);
      TokenRecord t1 = seed.token("t1");
      if (how.equals("citext")) {
        execute(db.dataSource(), "CREATE EXTENSION IF NOT EXISTS citext");
        execute(db.dataSource(), "ALTER TABLE latchkey_token ALTER COLUMN lookup_id TYPE citext");
      } else {
        execute(db.dataSource(), "CREATE COLLATION latchkey_test_ci"
            + " (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        execute(db.dataSource(), "ALTER TABLE latchkey_token ALTER COLUMN lookup_id TYPE VARCHAR(128)"
            + " COLLATE latchkey_test_ci");
      }
      String variant = Character.toUpperCase(t1.lookupId().charAt(0)) + t1.lookupId().substring(1);
      assertThat(running.findTokenByLookupId(variant)).isEmpty();
      assertThatThrownBy(() -> db.store().findTokenByLookupId(t1.lookupId()))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(CASE_MESSAGE).hasMessageContaining(how);
      assertThatThrownBy(() -> JdbcSchema.migrate(db.dataSource()))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining(CASE_MESSAGE);
    }
  }

  @Test
  void unsupportedDatabasesAreRefusedClearly() {
    DataSource mysql = fakeDataSource("MySQL");
    assertThatThrownBy(() -> JdbcTokenStore.builder(mysql).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("supports H2 and PostgreSQL, not 'MySQL'");
    assertThatThrownBy(() -> JdbcSchema.migrate(mysql)).isInstanceOf(ConfigurationException.class);
    assertThat(JdbcTokenStore.builder(fakeDataSource("PostgreSQL")).build().dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(JdbcTokenStore.builder(fakeDataSource("H2")).build().dialect()).isEqualTo(Dialect.H2);
    assertThat(JdbcTokenStore.builder(mysql).dialect(Dialect.H2).build().dialect()).isEqualTo(Dialect.H2);
    assertThatThrownBy(() -> JdbcTokenStore.builder(null)).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> JdbcTokenStore.builder(mysql).dialect(Dialect.H2).dialect(Dialect.H2))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("already set");
    assertThatThrownBy(() -> JdbcTokenStore.builder(mysql).clock(null)).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void everyMigrationShipsAFlywayNamedScriptForEveryDialect() {
    for (Dialect dialect : Dialect.values()) {
      for (JdbcSchema.Migration m : JdbcSchema.MIGRATIONS) {
        assertThat(m.scriptName()).matches("V[1-9][0-9]*__[a-z0-9_]+\\.sql");
        String script = JdbcSchema.load(dialect.scriptLocation() + "/" + m.scriptName());
        assertThat(JdbcSchema.statements(script)).isNotEmpty()
            .allSatisfy(sql -> assertThat(sql).doesNotEndWith(";").doesNotStartWith("--"));
      }
    }
    assertThat(Dialect.POSTGRESQL.scriptLocation()).isEqualTo("db/latchkey/postgresql");
    assertThatThrownBy(() -> JdbcSchema.load("db/latchkey/h2/V99__nothing.sql")).isInstanceOf(StoreException.class);
  }

  @Test
  void scriptsSplitIntoStatementsAtLineEndingSemicolons() {
    assertThat(JdbcSchema.statements("-- a comment; with a semicolon\nCREATE TABLE a (\n  x INT\n);\n\n"
        + "  -- another\nINSERT INTO a VALUES (1);\r\nSELECT 1"))
        .containsExactly("CREATE TABLE a (\n  x INT\n)", "INSERT INTO a VALUES (1)", "SELECT 1");
  }

  // ---- helpers

  private static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs every shipped script as it is, as Flyway would, without JdbcSchema. */
  private static void applyScripts(DataSource ds, Dialect dialect) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (JdbcSchema.Migration m : JdbcSchema.MIGRATIONS) {
        for (String sql : JdbcSchema.statements(JdbcSchema.load(dialect.scriptLocation() + "/" + m.scriptName()))) {
          s.execute(sql);
        }
      }
    }
  }

  private static List<String> versionRows(DataSource ds) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, description, script FROM latchkey_schema_version ORDER BY version")) {
      while (rs.next()) {
        rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
    }
    return rows;
  }

  private static List<String> tables(DataSource ds) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME").toLowerCase());
      }
    }
    return tables;
  }

  /** table.column -> JDBC type, size, nullability, for Latchkey's data tables. */
  private static Map<String, String> columns(DataSource ds) throws SQLException {
    Map<String, String> columns = new TreeMap<>();
    try (Connection c = ds.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      for (String table : TableDump.TABLES) {
        String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase() : table;
        try (ResultSet rs = md.getColumns(null, null, name, "%")) {
          while (rs.next()) {
            int type = rs.getInt("DATA_TYPE");
            if (type == Types.BIT) {
              type = Types.BOOLEAN; // PostgreSQL reports boolean as BIT
            }
            String size = type == Types.VARCHAR ? "(" + rs.getInt("COLUMN_SIZE") + ")" : "";
            columns.put(table + "." + rs.getString("COLUMN_NAME").toLowerCase(),
                type + size + (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : ""));
          }
        }
      }
    }
    return columns;
  }

  /** A DataSource whose connections only answer the product name. */
  private static DataSource fakeDataSource(String product) {
    DatabaseMetaData md = (DatabaseMetaData) Proxy.newProxyInstance(SchemaTest.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> {
          if (m.getName().equals("getDatabaseProductName")) {
            return product;
          }
          throw new SQLException("not supported by the fake");
        });
    Connection c = (Connection) Proxy.newProxyInstance(SchemaTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> switch (m.getName()) {
          case "getMetaData" -> md;
          case "close" -> null;
          default -> throw new SQLException("not supported by the fake");
        });
    return (DataSource) Proxy.newProxyInstance(SchemaTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (p, m, a) -> {
          if (m.getName().equals("getConnection")) {
            return c;
          }
          throw new SQLException("not supported by the fake");
        });
  }
}
