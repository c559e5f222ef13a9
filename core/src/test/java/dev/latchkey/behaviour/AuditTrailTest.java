package dev.latchkey.behaviour;

import static dev.latchkey.testing.World.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditQuery;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.Rotation;
import dev.latchkey.UnsupportedByStoreException;
import dev.latchkey.spi.AuditTrail;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The audit trail through the public API on the simple store core tests use (the memory, H2 and PostgreSQL stores run the contract kit): every event the listener receives is
 * kept and queryable; who may read what; a failing trail never fails a management call.
 */
class AuditTrailTest {

  private static List<AuditEvent> all(World w, dev.latchkey.Actor actor, AuditQuery q) {
    List<AuditEvent> out = new ArrayList<>();
    PageRequest req = PageRequest.first(3);
    while (true) {
      Page<AuditEvent> page = w.m.listAuditEvents(actor, q, req);
      out.addAll(page.items());
      Optional<PageRequest> next = page.next(3);
      if (next.isEmpty()) {
        return out;
      }
      req = next.get();
    }
  }

  @Test
  void theTrailKeepsExactlyWhatTheListenerReceivesNewestFirst() {
    try (World w = new World(new SimpleTokenStore(), b -> b)) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.clock.advance(Duration.ofSeconds(1));
      w.m.rotateToken(w.system, t.ref(), Rotation.withGrace(Duration.ofMinutes(1)));
      w.m.revokeToken(w.system, t.ref());
      List<AuditEvent> listened = new ArrayList<>(w.audit);
      java.util.Collections.reverse(listened);
      assertThat(listened).hasSizeGreaterThan(8);
      assertThat(all(w, w.system, AuditQuery.all())).containsExactlyElementsOf(listened);
      assertThat(all(w, w.system, AuditQuery.all().token(t.ref()))).extracting(AuditEvent::action)
          .containsExactly(AuditAction.TOKEN_REVOKED, AuditAction.TOKEN_ROTATED, AuditAction.TOKEN_ISSUED);
      assertThat(all(w, w.system, AuditQuery.all().token(t.ref()).since(w.clock.instant())))
          .extracting(AuditEvent::action).containsExactly(AuditAction.TOKEN_REVOKED, AuditAction.TOKEN_ROTATED);
    }
  }

  @Test
  void accountAdminsReadTheirAccountOthersOnlyWhatTheyMayView() {
    try (World w = new World(new SimpleTokenStore(), b -> b)) {
      w.m.createAccount(w.system, "other", "Other");
      w.token(w.ci.ref(), "k", "t");
      w.token(w.alice.ref(), "ak", "at");
      w.token(w.bob.ref(), "bk", "bt");

      // an admin: the whole account (its own only), a query without account meaning its own
      List<AuditEvent> adminView = all(w, as(w.admin), AuditQuery.all());
      assertThat(adminView).isNotEmpty().allSatisfy(e -> assertThat(e.accountId()).isEqualTo("acme"));
      assertThat(adminView).extracting(AuditEvent::target).contains("acme/sa/ci/k/t", "acme/user/alice/ak/at");
      assertThatThrownBy(() -> all(w, as(w.admin), AuditQuery.all().account("other")))
          .isInstanceOf(PermissionDeniedException.class);

      // a plain user: its own events only, and it must say so
      assertThat(all(w, as(w.alice), AuditQuery.all().principal(w.alice.ref())))
          .isNotEmpty().allSatisfy(e -> assertThat(e.target()).startsWith("acme/user/alice"));
      assertThatThrownBy(() -> all(w, as(w.alice), AuditQuery.all()))
          .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("name it in the query");
      assertThatThrownBy(() -> all(w, as(w.alice), AuditQuery.all().principal(w.bob.ref())))
          .isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> all(w, as(w.alice), AuditQuery.all().principal(w.ci.ref())))
          .isInstanceOf(PermissionDeniedException.class);

      // a service-account manager: service accounts' events, not a user's
      assertThat(all(w, as(w.ops), AuditQuery.all().apiKey(w.ci.ref().apiKey("k")))).extracting(AuditEvent::action)
          .containsExactly(AuditAction.TOKEN_ISSUED, AuditAction.API_KEY_CREATED);
      assertThatThrownBy(() -> all(w, as(w.ops), AuditQuery.all().principal(w.bob.ref())))
          .isInstanceOf(PermissionDeniedException.class);

      // the system actor: every account
      assertThat(all(w, w.system, AuditQuery.all())).extracting(AuditEvent::accountId).contains("acme", "other");
    }
  }

  @Test
  void anAdminStillReadsTheEventsOfAPrincipalDeletedSince() {
    try (World w = new World(new SimpleTokenStore(), b -> b)) {
      w.token(w.bob.ref(), "bk", "bt");
      w.m.deletePrincipal(w.system, w.bob.ref());
      assertThat(all(w, as(w.admin), AuditQuery.all().principal(w.bob.ref()))).extracting(AuditEvent::action)
          .containsExactly(AuditAction.PRINCIPAL_DELETED, AuditAction.TOKEN_ISSUED, AuditAction.API_KEY_CREATED,
              AuditAction.USER_CREATED);
    }
  }

  @Test
  void aFailingTrailIsLoggedAndNeitherFailsNorHidesTheManagementCall() {
    SimpleTokenStore memory = new SimpleTokenStore();
    TokenStore failingTrail = new ForwardingTokenStore(memory) {
      @Override
      public Optional<AuditTrail> auditTrail() {
        AuditTrail real = memory.auditTrail().orElseThrow();
        return Optional.of(new AuditTrail() {
          @Override public void append(AuditEvent event) {
            throw new dev.latchkey.StoreException("the audit table is gone");
          }
          @Override public Page<AuditEvent> query(AuditQuery q, PageRequest p) { return real.query(q, p); }
          @Override public int pruneBefore(Instant cutoff) { return real.pruneBefore(cutoff); }
        });
      }
    };
    try (LogCapture logs = new LogCapture(); World w = new World(failingTrail, b -> b)) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThat(w.m.revokeToken(w.system, t.ref()).status()).isEqualTo(dev.latchkey.TokenStatus.REVOKED);
      assertThat(w.audit).extracting(AuditEvent::action).contains(AuditAction.TOKEN_ISSUED, AuditAction.TOKEN_REVOKED);
      assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("WARN", "audit trail append failed",
          "action=TOKEN_REVOKED", "the audit table is gone"));
      assertThat(w.m.listAuditEvents(w.system, AuditQuery.all(), PageRequest.first()).items()).isEmpty();
    }
  }

  @Test
  void aStoreWithoutATrailSaysSo() {
    try (World w = new World(ForwardingTokenStore.coreOnly(new SimpleTokenStore()), b -> b)) {
      assertThatThrownBy(() -> w.m.listAuditEvents(w.system, AuditQuery.all(), PageRequest.first()))
          .isInstanceOf(UnsupportedByStoreException.class).hasMessageContaining("audit trail");
      assertThat(w.audit).isNotEmpty(); // the listener still hears everything
    }
  }

  @Test
  void theAuditRetentionPrunesOldEventsInTheBackground() throws Exception {
    java.util.concurrent.ScheduledThreadPoolExecutor scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
    try (World w = new World(new SimpleTokenStore(), b -> b.auditRetention(Duration.ofSeconds(4)).scheduler(scheduler))) {
      w.clock.advance(Duration.ofSeconds(5));
      w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "late", "K"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<AuditEvent> left;
      do {
        Thread.sleep(50);
        left = all(w, w.system, AuditQuery.all());
      } while (left.size() > 1 && System.nanoTime() < deadline);
      assertThat(left).as("the prune job removed the events older than the retention").extracting(AuditEvent::target)
          .containsExactly("acme/sa/ci/late");
    } finally {
      scheduler.shutdownNow();
    }
  }

}
