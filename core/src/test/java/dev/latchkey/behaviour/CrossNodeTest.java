package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.AuditListener;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import dev.latchkey.VerificationResult;
import dev.latchkey.VerificationStats;
import dev.latchkey.Verified;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two Latchkey instances ("nodes"), each with its own cache, over one shared store with a change
 * feed (a SimpleTokenStore here; PostgreSQL in the jdbc-store tests). A change made through node A
 * reaches node B through B's change-feed poller, within the staleness bound.
 *
 * <p><b>Through the feed, not by ageing.</b> Both nodes read an injected clock that stands still
 * (it moves only where a test needs an expiry to pass, and then by far less than the bound). The
 * staleness rule and every entry lifetime are measured on that clock ({@code VerificationEngine}),
 * so node B's cached entries can neither age out nor expire here: B can only start rejecting
 * because its cache was invalidated, and on B only the poller invalidates. B's counters must also
 * show that a poll applied the change.
 *
 * <p><b>Within what the design promises.</b> The poller runs on real time, twice per staleness
 * bound, so the next poll begins at most half a bound after the change commits. The real time from
 * the change until B rejects must therefore be at most the bound itself, with no extra slack.
 */
class CrossNodeTest {
  private static final Duration BOUND = Duration.ofMillis(400);
  private static final PrincipalRef BOT = PrincipalRef.serviceAccount("acme", "bot");
  private static final Actor SYSTEM = Actor.system();

  private final MutableClock clock = new MutableClock(World.START);

  private Latchkey node(SimpleTokenStore shared) {
    return Latchkey.builder().store(shared).peppers(World.PEPPERS).tokenPrefix("acme").clock(clock)
        .auditListener(AuditListener.none()).stalenessBound(BOUND).build();
  }

  private static void seed(Latchkey a) {
    var m = a.manager();
    m.createAccount(SYSTEM, "acme", "Acme");
    m.createServiceAccount(SYSTEM, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")
        .withPermissions(Set.of("deploy")));
    m.createApiKey(SYSTEM, NewApiKey.of(BOT, "k", "K"));
  }

  /**
   * Verifies on node B, as fast as it can, until {@code seen} holds or the bound has passed (real
   * time since {@code changedAtNanos}); asserts that it held within the bound and that B's poller
   * applied at least one change meanwhile.
   */
  private static VerificationResult awaitOnNodeB(String what, Latchkey b, IssuedToken t, long changedAtNanos,
      VerificationStats before, Predicate<VerificationResult> seen) throws InterruptedException {
    VerificationResult r = b.verifier().verify(t.value());
    while (!seen.test(r) && System.nanoTime() - changedAtNanos <= BOUND.toNanos()) {
      Thread.sleep(1);
      r = b.verifier().verify(t.value());
    }
    long waitedMillis = Duration.ofNanos(System.nanoTime() - changedAtNanos).toMillis();
    VerificationStats after = b.stats();
    System.out.printf("cross-node %-22s seen by node B after %4d ms (bound %d ms), %d poll(s), %d change(s) applied%n",
        what, waitedMillis, BOUND.toMillis(), after.changeFeedPolls() - before.changeFeedPolls(),
        after.changesApplied() - before.changesApplied());
    assertThat(seen.test(r))
        .as("node B saw the %s within the staleness bound (%d ms); last result %s after %d ms; its poller"
                + " completed %d poll(s) and applied %d change(s) meanwhile", what, BOUND.toMillis(), r, waitedMillis,
            after.changeFeedPolls() - before.changeFeedPolls(), after.changesApplied() - before.changesApplied())
        .isTrue();
    assertThat(after.changesApplied()).as("changes node B's poller applied since the %s", what)
        .isGreaterThan(before.changesApplied());
    return r;
  }

  private void propagates(String what, RejectReason expected, BiConsumer<Latchkey, IssuedToken> change)
      throws Exception {
    SimpleTokenStore shared = new SimpleTokenStore(clock);
    try (Latchkey a = node(shared); Latchkey b = node(shared)) {
      seed(a);
      IssuedToken t = a.manager().issueToken(SYSTEM, NewToken.of(BOT.apiKey("k"), "t", "T"));
      assertThat(a.verifier().verify(t.value())).isInstanceOf(Verified.class);
      b.pollChanges(); // whatever the setup put in the feed: from here on, a poll can only bring the change
      assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class); // B caches it
      VerificationStats before = b.stats();
      long changedAt = System.nanoTime();
      change.accept(a, t);
      assertThat(a.verifier().verify(t.value())).as("node A at once").isEqualTo(Rejected.of(expected));
      VerificationResult r = awaitOnNodeB(what, b, t, changedAt, before, x -> !x.isValid());
      assertThat(r).isEqualTo(Rejected.of(expected));
    }
  }

  @Test
  void revocation() throws Exception {
    propagates("revoke", RejectReason.REVOKED, (a, t) -> a.manager().revokeToken(SYSTEM, t.ref()));
  }

  @Test
  void deletion() throws Exception {
    propagates("delete", RejectReason.UNKNOWN, (a, t) -> a.manager().deleteToken(SYSTEM, t.ref()));
  }

  @Test
  void keyDeletion() throws Exception {
    propagates("key delete", RejectReason.UNKNOWN, (a, t) -> a.manager().deleteApiKey(SYSTEM, t.ref().apiKey()));
  }

  @Test
  void rotationWithoutGrace() throws Exception {
    propagates("rotate (no grace)", RejectReason.BAD_SECRET,
        (a, t) -> a.manager().rotateToken(SYSTEM, t.ref(), Rotation.immediate()));
  }

  @Test
  void disablingThePrincipal() throws Exception {
    propagates("disable principal", RejectReason.DISABLED, (a, t) -> a.manager().setEnabled(SYSTEM, t.ref().owner(), false));
  }

  @Test
  void expiryEdit() throws Exception {
    propagates("expiry edit", RejectReason.EXPIRED, (a, t) -> {
      a.manager().editToken(SYSTEM, t.ref(), TokenEdit.none().expiration(Expiration.after(Duration.ofMillis(50))));
      clock.advance(Duration.ofMillis(60)); // past the new expiry; far less than the bound, so nothing ages out
    });
  }

  @Test
  void permissionChangesReachOtherNodesToo() throws Exception {
    SimpleTokenStore shared = new SimpleTokenStore(clock);
    try (Latchkey a = node(shared); Latchkey b = node(shared)) {
      seed(a);
      IssuedToken t = a.manager().issueToken(SYSTEM, NewToken.of(BOT.apiKey("k"), "t", "T"));
      b.pollChanges();
      assertThat(((Verified) b.verifier().verify(t.value())).permissions()).containsExactly("deploy");
      VerificationStats before = b.stats();
      long changedAt = System.nanoTime();
      a.manager().editPrincipal(SYSTEM, BOT, PrincipalEdit.none().permissions(Set.of("read")));
      VerificationResult r = awaitOnNodeB("permission edit", b, t, changedAt, before,
          x -> x instanceof Verified v && !v.hasPermission("deploy"));
      assertThat(((Verified) r).permissions()).containsExactly("read");
    }
  }
}
