package dev.latchkey.jdbc;

import static dev.latchkey.jdbc.Seed.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.TokenRecord;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Free text is data, never SQL: names, descriptions and tags full of SQL syntax, LIKE wildcards,
 * quotes, backslashes, JSON syntax, unicode and emoji round-trip exactly; values at the maximum
 * sizes fit the columns; oversized values and malformed identifiers never reach the database.
 */
class HostileDataTest {
  private static final Databases DATABASES = new Databases();

  @AfterAll
  static void closeDatabases() {
    DATABASES.close();
  }

  static final List<String> HOSTILE = List.of(
      "' OR 1=1 --",
      "Robert'); DROP TABLE latchkey_token;--",
      "%", "_", ";", "%_%", "\\", "\\\\'", "\"", "\"},{\"x\":\"",
      "{\"k\":\"v\"}", "[\"a\",\"b\"]", "\\u0000 is not a NUL", "$1 $$ :name ? ?? {fn now()}",
      "/* comment */", "ünïcödé 名前 Ελληνικά עברית", "🔑🚀 emoji 👩‍💻", "a\u200Bb zero-width", "   spaced   ");

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void hostileTextRoundTripsAsPlainData(TestDatabase.Kind kind) {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    int i = 0;
    for (String text : HOSTILE) {
      String id = "a" + i++;
      Account account = new Account(id, text, T0);
      store.insertAccount(account);
      assertThat(store.findAccount(id)).contains(account);

      Principal p = new Principal(PrincipalRef.serviceAccount(id, "bot"), text, text + "\n\ttab\r\nline",
          Scope.account(id), Set.of("role.x"), Set.of("perm:all"), true, T0, 1);
      store.insertPrincipal(p);
      assertThat(store.findPrincipal(p.ref())).contains(p);

      Map<String, String> tags = Map.of(text, text, "plain", text, text.strip() + "k", "");
      ApiKey key = new ApiKey(p.ref().apiKey("k"), text, text, tags, Scope.account(id), null, T0, 1);
      store.insertApiKey(key, 10);
      assertThat(store.findApiKey(key.ref())).contains(key);
      assertThat(store.listApiKeys(p.ref(), PageRequest.first()).items()).containsExactly(key);

      TokenRecord token = token(key.ref(), "t", text, text, tags);
      store.insertToken(token, 10, T0);
      assertThat(store.findToken(token.token().ref())).contains(token);
      assertThat(store.findTokenByLookupId(token.lookupId())).contains(token);
      TokenRecord edited = Seed.renamed(token, text + text);
      assertThat(store.updateToken(1, edited)).isTrue();
      assertThat(store.findToken(token.token().ref())).contains(edited);
    }
    assertThat(store.listAccounts(PageRequest.first(1000)).items()).hasSize(HOSTILE.size());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void identifierLikeArgumentsThatAreNotIdentifiersMatchNothing(TestDatabase.Kind kind) {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    Seed seed = Seed.standard(store);
    for (String hostile : List.of("' OR 1=1 --", "acme' OR '1'='1", "%", "_", "acme%", "a_me", "*", "acme;")) {
      assertThat(store.findAccount(hostile)).as(hostile).isEmpty();
      assertThat(store.deleteAccount(hostile)).as(hostile).isEmpty();
      assertThat(store.listPrincipals(hostile, PrincipalType.SERVICE_ACCOUNT, PageRequest.first()).items()).isEmpty();
      assertThat(store.findTokenByLookupId(hostile)).as(hostile).isEmpty();
      boolean wildcardOnly = hostile.equals("_") || hostile.equals("a_me"); // valid identifiers, no LIKE anywhere
      if (!wildcardOnly) {
        assertThatThrownBy(() -> new Account(hostile, "x", T0)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> PrincipalRef.serviceAccount("acme", hostile))
            .isInstanceOf(InvalidArgumentException.class);
      }
    }
    assertThat(store.listTokens(new ApiKeyRef(seed.bot.ref(), "_"), PageRequest.first()).items()).isEmpty();
    // strings that no identifier or lookup id can be, some of which PostgreSQL cannot even take as a
    // parameter (NUL): nothing matches, and nothing fails
    for (String impossible : List.of("ac\0me", "\0acme", "x".repeat(513), "")) {
      assertThat(store.findAccount(impossible)).isEmpty();
      assertThat(store.deleteAccount(impossible)).isEmpty();
      assertThat(store.listPrincipals(impossible, PrincipalType.USER, PageRequest.first()).items()).isEmpty();
    }
    for (String impossible : List.of("abc\0def12345678", "abc\u0001def12345678", "abc\ud800def12345678", "")) {
      assertThat(store.findTokenByLookupId(impossible)).isEmpty();
    }
    // a cursor is compared as a string, never interpreted
    assertThat(store.listAccounts(PageRequest.after("' OR 1=1 --", 10)).items()).extracting(Account::id)
        .containsExactly("acme", "other");
    assertThat(store.listApiKeys(seed.bot.ref(), PageRequest.after("%", 10)).items()).hasSize(2);
    assertThatThrownBy(() -> store.expiringTokenQuery().orElseThrow()
        .listTokensExpiringBetween(T0, T0.plusSeconds(1), PageRequest.after("' OR 1=1", 5)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(store.findAccount("acme")).isPresent();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void valuesAtTheMaximumSizesFitTheColumns(TestDatabase.Kind kind) {
    JdbcTokenStore store = DATABASES.fresh(kind).store();
    String id = "i".repeat(128);
    // 128 emoji are 256 UTF-16 chars: the most a name may have
    String name = "🔑".repeat(128);
    String description = "\"\\".repeat(512);
    Map<String, String> tags = new HashMap<>();
    for (int i = 0; i < 32; i++) {
      // quotes and backslashes double in JSON: the widest possible tags column
      tags.put(String.format("%03d", i) + "\"\\".repeat(62) + "k", "\\\"".repeat(128));
    }
    Set<String> grants = new LinkedHashSet<>();
    for (int i = 0; i < 64; i++) {
      grants.add(String.format("%03d", i) + ".".repeat(125));
    }
    store.insertAccount(new Account(id, name, T0));
    PrincipalRef ref = PrincipalRef.serviceAccount(id, id);
    Principal p = new Principal(ref, name, description, Scope.project(id, id, id), grants, grants, true, T0,
        Long.MAX_VALUE - 1);
    store.insertPrincipal(p);
    assertThat(store.findPrincipal(ref)).contains(p);
    ApiKey key = new ApiKey(ref.apiKey(id), name, description, tags, Scope.project(id, id, id),
        Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), T0, 1);
    store.insertApiKey(key, 1);
    assertThat(store.findApiKey(key.ref())).contains(key);
    TokenRecord token = token(key.ref(), id, name, description, tags);
    store.insertToken(token, 1, T0);
    assertThat(store.findToken(token.token().ref())).contains(token);
  }

  @Test
  void oversizedValuesAreRefusedBeforeReachingTheDatabase() {
    TestDatabase db = DATABASES.fresh(TestDatabase.Kind.H2_MEMORY);
    FaultyDataSource counting = new FaultyDataSource(db.dataSource(), Connection::close);
    JdbcTokenStore store = JdbcTokenStore.builder(counting).dialect(Dialect.H2).build();
    Seed seed = Seed.standard(store);
    ApiKeyRef k1 = seed.k1.ref();
    counting.resetCount();

    assertThatThrownBy(() -> new Account("a".repeat(129), "x", T0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new Account("a", "x".repeat(257), T0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> token(k1, "t9", "n", "d".repeat(1025), Map.of()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> token(k1, "t9", "n", "", Map.of("k".repeat(129), "v")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> token(k1, "t9", "n", "", Map.of("k", "v".repeat(257))))
        .isInstanceOf(InvalidArgumentException.class);
    Map<String, String> tooMany = new HashMap<>();
    for (int i = 0; i < 33; i++) {
      tooMany.put("k" + i, "v");
    }
    assertThatThrownBy(() -> token(k1, "t9", "n", "", tooMany)).isInstanceOf(InvalidArgumentException.class);

    // lookup ids are validated by the domain record itself: 16 base62 characters
    assertThatThrownBy(() -> withLookupId(Seed.token(k1, "t9"), "L".repeat(129)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> withLookupId(Seed.token(k1, "t9"), "abc\0def12345678"))
        .isInstanceOf(InvalidArgumentException.class);
    TokenRecord twoVersionsAhead = Seed.renamed(Seed.renamed(seed.token("t1"), "x"), "y");
    assertThatThrownBy(() -> store.updateToken(1, twoVersionsAhead))
        .as("version must rise by exactly one").isInstanceOf(InvalidArgumentException.class);
    ApiKey keyTwoVersionsAhead = Seed.renamed(Seed.renamed(seed.k1, "x"), "y");
    assertThatThrownBy(() -> store.updateApiKey(1, keyTwoVersionsAhead))
        .as("a key's version too").isInstanceOf(InvalidArgumentException.class);
    Principal botTwoVersionsAhead = seed.bot.withEnabled(false).withEnabled(true);
    assertThat(botTwoVersionsAhead.version()).isEqualTo(seed.bot.version() + 2);
    assertThatThrownBy(() -> store.updatePrincipal(seed.bot.version(), botTwoVersionsAhead))
        .as("a principal's version too").isInstanceOf(InvalidArgumentException.class);
    assertThat(store.findTokenByLookupId("L".repeat(129))).isEmpty();
    assertThat(store.findTokenByLookupId("")).isEmpty();
    assertThatThrownBy(() -> store.listAccounts(PageRequest.after("a\0b", 10)))
        .isInstanceOf(InvalidArgumentException.class);

    assertThat(counting.steps()).as("statements that reached the database").isZero();
  }

  private static TokenRecord token(ApiKeyRef key, String id, String name, String description,
      Map<String, String> tags) {
    Token t = new Token(new TokenRef(key, id), Seed.lookupId(), name, description, tags, T0,
        T0.plusSeconds(1), TokenStatus.ACTIVE, T0.plusNanos(1),
        T0.plusNanos(2), T0.plusNanos(3), 1);
    return new TokenRecord(t, Seed.hash(7, id), Seed.hash(6, "prev" + id));
  }

  private static TokenRecord withLookupId(TokenRecord r, String lookupId) {
    Token t = r.token();
    return new TokenRecord(new Token(t.ref(), lookupId, t.name(), t.description(), t.tags(), t.createdAt(),
        t.expiresAt(), t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), t.version(), t.restriction()),
        r.current(), r.previous());
  }
}
