package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.PageRequest;
import dev.latchkey.PrincipalRef;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.AuditTrail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Capability {@link AuditTrail}, skipped for stores without it: events round-trip exactly, come back
 * newest first, page by the store's cursor, filter by account, principal, key, token and time, and
 * are pruned by age.
 */
@ContractGroup.Requires(ContractGroup.Capability.AUDIT_TRAIL)
abstract class AuditTrailContract extends ContractGroup {
  private static final PrincipalRef BOT = PrincipalRef.serviceAccount("acme", "bot");
  private static final PrincipalRef BOT2 = PrincipalRef.serviceAccount("acme", "bot2");
  private static final ApiKeyRef K1 = BOT.apiKey("k1");
  private static final TokenRef T1 = K1.token("t1");

  private AuditTrail trail() {
    return store.auditTrail().orElseThrow();
  }

  /** Appends a varied history, one event a second from T0; returns it oldest first. */
  private List<AuditEvent> history() {
    List<AuditEvent> all = new ArrayList<>();
    String[] targets = {"acme", BOT.toString(), K1.toString(), T1.toString(), K1.token("t2").toString(),
        BOT.apiKey("k2").toString(), BOT2.toString(), BOT2.apiKey("k1").token("t1").toString(), "other",
        "other/user/alice/pk/t1", "acme/sa/bot_2/k1", T1.toString()};
    for (int i = 0; i < targets.length; i++) {
      String account = targets[i].startsWith("other") ? "other" : "acme";
      AuditEvent e = new AuditEvent(T0.plusSeconds(i), i % 2 == 0 ? "system" : "acme/user/admin",
          AuditAction.values()[i % AuditAction.values().length], account, targets[i],
          Map.of("n", Integer.toString(i), "lookupId", "ABCDEFGHijklmnop"));
      trail().append(e);
      all.add(e);
    }
    return all;
  }

  private List<AuditEvent> read(AuditQuery q, int pageSize) {
    return all(p -> trail().query(q, p), pageSize);
  }

  private static List<AuditEvent> newestFirst(List<AuditEvent> events, AuditQuery q) {
    List<AuditEvent> out = new ArrayList<>(events.stream().filter(q::matches).toList());
    java.util.Collections.reverse(out);
    return out;
  }

  @Test
  void eventsRoundTripExactlyNewestFirstOnEveryPageSize() {
    List<AuditEvent> events = history();
    for (int size : new int[] {1, 5, 100}) {
      assertThat(read(AuditQuery.all(), size)).containsExactlyElementsOf(newestFirst(events, AuditQuery.all()));
    }
    assertThat(trail().query(AuditQuery.all(), PageRequest.first(1)).items().get(0).at())
        .isEqualTo(T0.plusSeconds(events.size() - 1)); // nanoseconds kept
  }

  @Test
  void filtersByAccountPrincipalKeyTokenAndTimeAsTheQueryDefines() {
    List<AuditEvent> events = history();
    List<AuditQuery> queries = List.of(
        AuditQuery.all().account("acme"),
        AuditQuery.all().account("other"),
        AuditQuery.all().principal(BOT),
        AuditQuery.all().principal(BOT2),
        AuditQuery.all().apiKey(K1),
        AuditQuery.all().token(T1),
        AuditQuery.all().since(T0.plusSeconds(3)).until(T0.plusSeconds(7)),
        AuditQuery.all().principal(BOT).since(T0.plusSeconds(2)),
        AuditQuery.all().account("acme").until(T0.plusSeconds(1)),
        AuditQuery.all().token(BOT.apiKey("nope").token("x")));
    for (AuditQuery q : queries) {
      assertThat(read(q, 2)).as(q.toString()).containsExactlyElementsOf(newestFirst(events, q));
    }
    // the checks are not vacuous, and a path prefix is no match ("bot" is not "bot_2")
    assertThat(read(AuditQuery.all().principal(BOT), 100)).extracting(AuditEvent::target)
        .hasSize(6).doesNotContain("acme/sa/bot_2/k1", "acme");
    assertThat(read(AuditQuery.all().token(T1), 100)).hasSize(2);
    assertThat(read(AuditQuery.all().since(T0.plusSeconds(3)).until(T0.plusSeconds(7)), 100)).hasSize(4);
  }

  @Test
  void aCursorKeepsItsPlaceWhileNewEventsArrive() {
    List<AuditEvent> events = history();
    var first = trail().query(AuditQuery.all(), PageRequest.first(3));
    trail().append(new AuditEvent(T0.plusSeconds(100), "system", AuditAction.TOKEN_REVOKED, "acme", T1.toString(),
        Map.of()));
    var second = trail().query(AuditQuery.all(), first.next(3).orElseThrow());
    assertThat(second.items()).containsExactlyElementsOf(newestFirst(events, AuditQuery.all()).subList(3, 6));
  }

  @Test
  void aCursorTheStoreDidNotMakeIsRefused() {
    history();
    assertThatThrownBy(() -> trail().query(AuditQuery.all(), PageRequest.after("not-a-cursor", 5)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void pruningDeletesEventsOlderThanTheCutoffOnly() {
    List<AuditEvent> events = history();
    assertThat(trail().pruneBefore(T0.plusSeconds(5))).isEqualTo(5);
    assertThat(read(AuditQuery.all(), 100)).containsExactlyElementsOf(newestFirst(events.subList(5, events.size()),
        AuditQuery.all()));
    assertThat(trail().pruneBefore(T0)).isZero();
  }
}
