package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditListener;
import dev.latchkey.AuditQuery;
import dev.latchkey.Expiration;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PageRequest;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.TokenExpiring;
import dev.latchkey.tck.Race;
import dev.latchkey.testsupport.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import dev.latchkey.TokenRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Latchkey nodes on one PostgreSQL database run the expiry-notice job at the same moment,
 * repeatedly, as the shared clock moves through the thresholds: every notice is sent exactly once
 * in total. And the audit trail one node writes is what the other reads.
 */
class ExpiryNoticesAcrossNodesTest {
  private static final PepperKeyset PEPPERS = PepperKeyset.generate(new SecureRandom());
  private static final Instant START = Instant.parse("2031-03-01T00:00:00Z");
  private static TestDatabase db;

  @BeforeAll
  static void open() {
    db = TestDatabase.postgres().migrated();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static Latchkey node(MutableClock clock, List<TokenExpiring> sent) {
    return Latchkey.builder().store(db.store(clock)).peppers(PEPPERS).tokenPrefix("acme").clock(clock)
        .auditListener(AuditListener.none()).expiryNotices(sent::add).build();
  }

  @Test
  void twoNodesRunningTheJobAtOnceSendEachNoticeOnce() throws Exception {
    db.truncate();
    MutableClock clock = new MutableClock(START);
    List<TokenExpiring> sentByA = new CopyOnWriteArrayList<>();
    List<TokenExpiring> sentByB = new CopyOnWriteArrayList<>();
    try (Latchkey a = node(clock, sentByA); Latchkey b = node(clock, sentByB)) {
      Actor system = Actor.system();
      a.manager().createAccount(system, "acme", "Acme");
      PrincipalRef bot = a.manager().createServiceAccount(system,
          NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")).ref();
      Map<TokenRef, Instant> expiries = new HashMap<>();
      for (int k = 0; k < 3; k++) {
        a.manager().createApiKey(system, NewApiKey.of(bot, "k" + k, "K"));
        for (int i = 0; i < 25; i++) {
          // spread over 40 days, so that each step crosses thresholds of some tokens
          Duration lifetime = Duration.ofHours(7 + 13L * (k * 25 + i));
          var issued = a.manager().issueToken(system, NewToken.of(bot.apiKey("k" + k), "t" + i, "T")
              .expiring(Expiration.after(lifetime)));
          expiries.put(issued.ref(), issued.token().expiresAt());
        }
      }
      Latchkey[] nodes = {a, b};
      Set<String> expected = new HashSet<>();
      int total = 0;
      for (Duration step : List.of(Duration.ZERO, Duration.ofDays(3), Duration.ofDays(5), Duration.ofDays(9),
          Duration.ofHours(30), Duration.ofDays(6))) {
        clock.advance(step);
        expected.addAll(due(expiries, clock.instant()));
        for (int again = 0; again < 2; again++) {
          List<Integer> counts = Race.race(2, i -> nodes[i].sendExpiryNotices());
          int added = sentByA.size() + sentByB.size() - total;
          total += added;
          assertThat(counts.get(0) + counts.get(1)).as("what the nodes report is what they sent").isEqualTo(added);
        }
      }
      List<String> all = Stream.concat(sentByA.stream(), sentByB.stream())
          .map(n -> n.token() + " " + n.threshold()).toList();
      Map<String, Long> times = all.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(times).as("each notice at most once across both nodes").allSatisfy((notice, n) -> assertThat(n)
          .as(notice).isEqualTo(1L));
      Set<String> missing = new HashSet<>(expected);
      missing.removeAll(times.keySet());
      Set<String> extra = new HashSet<>(times.keySet());
      extra.removeAll(expected);
      assertThat(missing).as("notices due but not sent").isEmpty();
      assertThat(extra).as("notices sent but not due").isEmpty();
      assertThat(all).as("not vacuous").hasSizeGreaterThan(60);
      assertThat(sentByA).as("both nodes won some claims").isNotEmpty();
      assertThat(sentByB).isNotEmpty();
    }
  }

  /** The model: at {@code now}, each unexpired token within 30 days is due the smallest threshold reached. */
  private static Set<String> due(Map<TokenRef, Instant> expiries, Instant now) {
    Set<String> out = new HashSet<>();
    expiries.forEach((ref, e) -> {
      Duration left = Duration.between(now, e);
      if (left.isNegative() || left.isZero() || left.compareTo(Duration.ofDays(30)) >= 0) {
        return;
      }
      Duration threshold = Stream.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30))
          .filter(t -> left.compareTo(t) <= 0).findFirst().orElseThrow();
      out.add(ref + " " + threshold);
    });
    return out;
  }

  @Test
  void theAuditTrailOneNodeWritesIsWhatAnotherReads() {
    db.truncate();
    MutableClock clock = new MutableClock(START);
    try (Latchkey a = node(clock, new ArrayList<>()); Latchkey b = node(clock, new ArrayList<>())) {
      Actor system = Actor.system();
      a.manager().createAccount(system, "acme", "Acme");
      PrincipalRef bot = a.manager().createServiceAccount(system,
          NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")).ref();
      a.manager().createApiKey(system, NewApiKey.of(bot, "k", "K"));
      var t = a.manager().issueToken(system, NewToken.of(bot.apiKey("k"), "t", "T"));
      clock.advance(Duration.ofSeconds(1));
      b.manager().revokeToken(system, t.ref());
      List<AuditEvent> read = b.manager().listAuditEvents(system, AuditQuery.all().token(t.ref()),
          PageRequest.first()).items();
      assertThat(read).extracting(AuditEvent::action).containsExactly(AuditAction.TOKEN_REVOKED,
          AuditAction.TOKEN_ISSUED);
      assertThat(read.get(1).details()).containsEntry("lookupId", t.token().lookupId());
      assertThat(a.manager().listAuditEvents(system, AuditQuery.all().account("acme"), PageRequest.first(2))
          .nextCursor()).isNotNull();
    }
  }
}
