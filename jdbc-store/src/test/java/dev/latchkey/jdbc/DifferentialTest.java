package dev.latchkey.jdbc;

import static dev.latchkey.jdbc.Seed.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.LatchkeyException;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the same random sequence of calls against {@link MemoryTokenStore} (the reference semantics)
 * and the JDBC store, and requires identical outcomes: return values, exception types, every
 * listing page by page, the change feed entry by entry (sequence, type, subject and time).
 */
class DifferentialTest {
  private static final Databases DATABASES = new Databases();
  private static final List<String> ACCOUNTS = List.of("a", "B");
  private static final List<String> PRINCIPAL_IDS = List.of("x", "Y", "_z");
  private static final List<String> KEY_IDS = List.of("k1", "K2", "k_3");
  private static final List<String> TOKEN_IDS = List.of("t1", "T2", "t_3", "t4");

  @AfterAll
  static void closeDatabases() {
    DATABASES.close();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRESQL"})
  void behavesExactlyLikeTheMemoryStore(TestDatabase.Kind kind) {
    Map<String, Integer> succeeded = new java.util.TreeMap<>();
    for (long seed : new long[] {1, 2, 3}) {
      MutableClock clock = new MutableClock(T0);
      TokenStore reference = new MemoryTokenStore(clock);
      TokenStore jdbc = DATABASES.fresh(kind).store(clock);
      Run run = new Run(new Random(seed), clock, reference, jdbc);
      run.go(350);
      run.succeeded.forEach((k, v) -> succeeded.merge(k, v, Integer::sum));
    }
    // the walk is not vacuous: every kind of call succeeded (not only failed alike) several times
    assertThat(succeeded.keySet()).containsExactlyInAnyOrder("insertAccount", "insertPrincipal", "insertApiKey",
        "insertToken", "updatePrincipal", "updateApiKey", "updateToken", "deleteToken", "deleteApiKey",
        "deletePrincipal", "deleteAccount", "recordLastUsed", "pruneBefore");
    assertThat(succeeded.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
  }

  private static final class Run {
    private final Random random;
    private final MutableClock clock;
    private final TokenStore reference;
    private final TokenStore jdbc;
    private final List<String> lookupIds = new ArrayList<>();
    private final Map<String, Integer> succeeded = new java.util.HashMap<>();
    private int step;

    Run(Random random, MutableClock clock, TokenStore reference, TokenStore jdbc) {
      this.random = random;
      this.clock = clock;
      this.reference = reference;
      this.jdbc = jdbc;
    }

    void go(int steps) {
      for (step = 0; step < steps; step++) {
        clock.advance(Duration.ofMillis(random.nextInt(5000)).plusNanos(random.nextInt(1000)));
        oneCall();
        if (step % 25 == 0 || step == steps - 1) {
          compareEverything();
        }
      }
    }

    private void oneCall() {
      // mostly aim at entities that exist, sometimes at random (mostly missing) ones
      boolean aim = random.nextInt(4) != 0;
      List<PrincipalRef> principals = existingPrincipals();
      PrincipalRef principal = aim && !principals.isEmpty() ? pick(principals)
          : new PrincipalRef(pick(ACCOUNTS), random.nextInt(3) == 0 ? PrincipalType.USER
              : PrincipalType.SERVICE_ACCOUNT, pick(PRINCIPAL_IDS));
      String account = random.nextInt(5) == 0 ? pick(ACCOUNTS) : principal.accountId();
      List<ApiKeyRef> keys = existingKeys(principals);
      ApiKeyRef key = aim && !keys.isEmpty() && random.nextBoolean() ? pick(keys) : principal.apiKey(pick(KEY_IDS));
      TokenRef token = key.token(pick(TOKEN_IDS));
      TokenRef existing = lookupIds.isEmpty() || !aim ? token
          : reference.findTokenByLookupId(pick(lookupIds)).map(r -> r.token().ref()).orElse(token);
      Instant now = T0.plus(Duration.ofHours(random.nextInt(96) - 24));
      switch (random.nextInt(16)) {
        case 0 -> same("insertAccount", s -> {
          s.insertAccount(new Account(account, "Account " + step, clock.instant()));
          return null;
        });
        case 1, 2 -> same("insertPrincipal", s -> {
          s.insertPrincipal(principal.type() == PrincipalType.USER ? Seed.user(account, principal.id())
              : Seed.serviceAccount(account, principal.id()));
          return null;
        });
        case 3, 4 -> {
          int limit = 1 + random.nextInt(3);
          same("insertApiKey", s -> {
            s.insertApiKey(Seed.apiKey(principal, key.id()), limit);
            return null;
          });
        }
        case 5, 6, 7 -> {
          Instant expiry = random.nextInt(4) == 0 ? null
              : T0.plus(Duration.ofHours(random.nextInt(72))).plusNanos(random.nextInt(3));
          String lookupId = !lookupIds.isEmpty() && random.nextInt(10) == 0 ? pick(lookupIds) : Seed.lookupId();
          lookupIds.add(lookupId);
          Token t = new Token(token, lookupId, "Token " + step, "", Map.of("n", "" + step), clock.instant(), expiry,
              TokenStatus.ACTIVE, null, null, random.nextBoolean() ? null : T0, 1);
          TokenRecord record = new TokenRecord(t, Seed.hash(random.nextInt(3), "h" + step), null);
          int limit = 1 + random.nextInt(4);
          same("insertToken", s -> {
            s.insertToken(record, limit, now);
            return null;
          });
        }
        case 8 -> reference.findPrincipal(principal).ifPresent(p -> {
          long expected = random.nextInt(4) == 0 ? p.version() - 1 : p.version();
          Principal next = new Principal(p.ref(), "P" + step, p.description(), p.scope(), p.roles(),
              p.permissions(), random.nextBoolean(), p.createdAt(), expected + 1);
          same("updatePrincipal", s -> s.updatePrincipal(expected, next));
        });
        case 9 -> reference.findApiKey(key).ifPresent(k -> {
          long expected = random.nextInt(4) == 0 ? k.version() + 1 : k.version();
          ApiKey next = new ApiKey(k.ref(), "K" + step, "d" + step, Map.of("s", "" + step), k.scope(),
              null, k.createdAt(), expected + 1);
          same("updateApiKey", s -> s.updateApiKey(expected, next));
        });
        case 10, 11 -> reference.findToken(existing).ifPresent(r -> {
          long expected = random.nextInt(4) == 0 ? r.version() - 1 : r.version();
          TokenRecord next = switch (random.nextInt(3)) {
            case 0 -> versioned(Seed.rotated(r, Seed.hash(2, "rot" + step), clock.instant().plusSeconds(60)), expected + 1);
            case 1 -> versioned(Seed.revoked(r), expected + 1);
            default -> versioned(Seed.renamed(r, "renamed " + step), expected + 1);
          };
          same("updateToken", s -> s.updateToken(expected, next));
        });
        case 12 -> same("deleteToken", s -> s.deleteToken(existing));
        case 13 -> {
          // a principal is deleted at its current version, or now and then at a stale one
          long current = reference.findPrincipal(principal).map(Principal::version).orElse(1L);
          same(random.nextBoolean() ? "deleteApiKey" : "deletePrincipal", s -> random.nextBoolean()
              ? s.deleteApiKey(key)
              : s.deletePrincipal(principal, random.nextInt(4) == 0 ? current - 1 : current));
        }
        case 14 -> {
          if (random.nextInt(4) == 0) {
            same("deleteAccount", s -> s.deleteAccount(account));
          } else if (!lookupIds.isEmpty()) {
            Map<String, Instant> used = new java.util.HashMap<>();
            used.put(pick(lookupIds), now);
            used.put(pick(lookupIds), now.plusNanos(1));
            same("recordLastUsed", s -> {
              s.lastUsedSink().orElseThrow().recordLastUsed(used);
              return null;
            });
          }
        }
        default -> {
          Instant cutoff = clock.instant().minus(Duration.ofSeconds(random.nextInt(600)));
          same("pruneBefore", s -> s.changeFeed().orElseThrow().pruneBefore(cutoff));
        }
      }
    }

    private List<PrincipalRef> existingPrincipals() {
      List<PrincipalRef> out = new ArrayList<>();
      for (String a : ACCOUNTS) {
        for (PrincipalType type : PrincipalType.values()) {
          reference.listPrincipals(a, type, PageRequest.first(1000)).items().forEach(p -> out.add(p.ref()));
        }
      }
      return out;
    }

    private List<ApiKeyRef> existingKeys(List<PrincipalRef> principals) {
      List<ApiKeyRef> out = new ArrayList<>();
      for (PrincipalRef p : principals) {
        reference.listApiKeys(p, PageRequest.first(1000)).items().forEach(k -> out.add(k.ref()));
      }
      return out;
    }

    private static TokenRecord versioned(TokenRecord r, long version) {
      Token t = r.token();
      return new TokenRecord(new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(),
          t.expiresAt(), t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), version), r.current(),
          r.previous());
    }

    /** Calls both stores; results, or exception types, must be equal. The shared random is used once. */
    private void same(String what, Function<TokenStore, Object> call) {
      long seed = random.nextLong();
      Object expected = outcome(call, reference, seed);
      Object actual = outcome(call, jdbc, seed);
      assertThat(actual).as("step %d: %s", step, what).isEqualTo(expected);
      boolean success = !(expected instanceof Class<?>) && !Boolean.FALSE.equals(expected)
          && !Optional.empty().equals(expected) && !Integer.valueOf(0).equals(expected);
      if (success) {
        succeeded.merge(what, 1, Integer::sum);
      }
    }

    private Object outcome(Function<TokenStore, Object> call, TokenStore store, long seed) {
      // calls that draw from the random must draw the same values for both stores
      random.setSeed(seed);
      try {
        return call.apply(store);
      } catch (LatchkeyException e) {
        return e.getClass();
      }
    }

    private void compareEverything() {
      String at = "after step " + step;
      for (int size : new int[] {1, 3, 1000}) {
        assertThat(ConcurrencyTest.all(p -> jdbc.listAccounts(p), size)).as(at)
            .isEqualTo(ConcurrencyTest.all(p -> reference.listAccounts(p), size));
        for (String account : ACCOUNTS) {
          for (PrincipalType type : PrincipalType.values()) {
            assertThat(ConcurrencyTest.all(p -> jdbc.listPrincipals(account, type, p), size)).as(at)
                .isEqualTo(ConcurrencyTest.all(p -> reference.listPrincipals(account, type, p), size));
            for (String pid : PRINCIPAL_IDS) {
              PrincipalRef owner = new PrincipalRef(account, type, pid);
              assertThat(ConcurrencyTest.all(p -> jdbc.listApiKeys(owner, p), size)).as(at)
                  .isEqualTo(ConcurrencyTest.all(p -> reference.listApiKeys(owner, p), size));
              for (String kid : KEY_IDS) {
                ApiKeyRef key = owner.apiKey(kid);
                assertThat(ConcurrencyTest.all(p -> jdbc.listTokens(key, p), size)).as(at)
                    .isEqualTo(ConcurrencyTest.all(p -> reference.listTokens(key, p), size));
              }
            }
          }
        }
        Instant from = T0.plus(Duration.ofHours(step % 24));
        Instant to = from.plus(Duration.ofHours(30));
        ExpiringTokenQuery jdbcExpiring = jdbc.expiringTokenQuery().orElseThrow();
        ExpiringTokenQuery referenceExpiring = reference.expiringTokenQuery().orElseThrow();
        assertThat(ConcurrencyTest.all(p -> jdbcExpiring.listTokensExpiringBetween(from, to, p), size)).as(at)
            .isEqualTo(ConcurrencyTest.all(p -> referenceExpiring.listTokensExpiringBetween(from, to, p), size));
      }
      for (String id : lookupIds) {
        assertThat(jdbc.findTokenByLookupId(id)).as(at).isEqualTo(reference.findTokenByLookupId(id));
      }
      assertThat(jdbc.hashUsageQuery().orElseThrow().hashUsage()).as(at)
          .isEqualTo(reference.hashUsageQuery().orElseThrow().hashUsage());
      ChangeFeed expected = reference.changeFeed().orElseThrow();
      ChangeFeed actual = jdbc.changeFeed().orElseThrow();
      assertThat(actual.latestSequence()).as(at).isEqualTo(expected.latestSequence());
      assertThat(actual.changesSince(0, 100_000)).as(at).isEqualTo(expected.changesSince(0, 100_000));
    }

    private <T> T pick(List<T> list) {
      return list.get(random.nextInt(list.size()));
    }
  }
}
