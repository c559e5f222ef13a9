package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.TokenEdit;
import dev.latchkey.Verified;
import dev.latchkey.memory.MemoryTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two Latchkey instances ("nodes"), each with its own cache, over one shared store with a change
 * feed (the memory store here; PostgreSQL in the jdbc-store tests). A change made through node A is
 * seen by node B within the staleness bound, through B's change-feed poller. Real clocks.
 */
class CrossNodeTest {
  private static final Duration BOUND = Duration.ofMillis(400);

  private static Latchkey node(MemoryTokenStore shared) {
    return Latchkey.builder().store(shared).peppers(World.PEPPERS).tokenPrefix("acme").clock(Clock.systemUTC())
        .auditListener(dev.latchkey.AuditListener.none()).stalenessBound(BOUND).build();
  }

  private static long millisUntilRejected(Latchkey b, IssuedToken t) throws InterruptedException {
    long start = System.nanoTime();
    while (b.verifier().verify(t.value()).isValid()) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("propagation").isLessThan(BOUND.multipliedBy(5));
      Thread.sleep(5);
    }
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  private void propagates(String what, Consumer<Latchkey> setup, java.util.function.BiConsumer<Latchkey, IssuedToken> change)
      throws Exception {
    MemoryTokenStore shared = new MemoryTokenStore();
    try (Latchkey a = node(shared); Latchkey b = node(shared)) {
      setup.accept(a);
      var m = a.manager();
      var sys = dev.latchkey.Actor.system();
      var sa = dev.latchkey.PrincipalRef.serviceAccount("acme", "bot");
      IssuedToken t = m.issueToken(sys, dev.latchkey.NewToken.of(sa.apiKey("k"), "t" + System.nanoTime(), "T"));
      assertThat(a.verifier().verify(t.value())).isInstanceOf(Verified.class);
      assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class); // B caches it
      long changedAt = System.nanoTime();
      change.accept(a, t);
      assertThat(a.verifier().verify(t.value())).as("node A at once").isInstanceOf(Rejected.class);
      long waited = millisUntilRejected(b, t);
      long total = Duration.ofNanos(System.nanoTime() - changedAt).toMillis();
      System.out.printf("cross-node %-22s seen by node B after %4d ms (bound %d ms)%n", what, total, BOUND.toMillis());
      assertThat(total).isLessThanOrEqualTo(BOUND.toMillis() + 250); // bound plus scheduling slack
      assertThat(waited).isGreaterThanOrEqualTo(0);
    }
  }

  private static void seed(Latchkey a) {
    var m = a.manager();
    var sys = dev.latchkey.Actor.system();
    m.createAccount(sys, "acme", "Acme");
    m.createServiceAccount(sys, dev.latchkey.NewServiceAccount.of(dev.latchkey.Scope.account("acme"), "bot", "Bot")
        .withPermissions(Set.of("deploy")));
    m.createApiKey(sys, dev.latchkey.NewApiKey.of(dev.latchkey.PrincipalRef.serviceAccount("acme", "bot"), "k", "K"));
  }

  @Test
  void revocation() throws Exception {
    propagates("revoke", CrossNodeTest::seed, (a, t) -> a.manager().revokeToken(dev.latchkey.Actor.system(), t.ref()));
  }

  @Test
  void deletion() throws Exception {
    propagates("delete", CrossNodeTest::seed, (a, t) -> a.manager().deleteToken(dev.latchkey.Actor.system(), t.ref()));
  }

  @Test
  void keyDeletion() throws Exception {
    propagates("key delete", CrossNodeTest::seed,
        (a, t) -> a.manager().deleteApiKey(dev.latchkey.Actor.system(), t.ref().apiKey()));
  }

  @Test
  void rotationWithoutGrace() throws Exception {
    propagates("rotate (no grace)", CrossNodeTest::seed,
        (a, t) -> a.manager().rotateToken(dev.latchkey.Actor.system(), t.ref(), Rotation.immediate()));
  }

  @Test
  void disablingThePrincipal() throws Exception {
    propagates("disable principal", CrossNodeTest::seed,
        (a, t) -> a.manager().setEnabled(dev.latchkey.Actor.system(), t.ref().owner(), false));
  }

  @Test
  void expiryEdit() throws Exception {
    propagates("expiry edit", CrossNodeTest::seed, (a, t) -> {
      a.manager().editToken(dev.latchkey.Actor.system(), t.ref(),
          TokenEdit.none().expiration(dev.latchkey.Expiration.after(Duration.ofMillis(50))));
      try {
        Thread.sleep(60); // let the new expiry pass
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Test
  void permissionChangesReachOtherNodesToo() throws Exception {
    MemoryTokenStore shared = new MemoryTokenStore();
    try (Latchkey a = node(shared); Latchkey b = node(shared)) {
      seed(a);
      var sys = dev.latchkey.Actor.system();
      IssuedToken t = a.manager().issueToken(sys, dev.latchkey.NewToken.of(
          dev.latchkey.PrincipalRef.serviceAccount("acme", "bot").apiKey("k"), "t", "T"));
      assertThat(((Verified) b.verifier().verify(t.value())).permissions()).containsExactly("deploy");
      a.manager().editPrincipal(sys, t.ref().owner(), PrincipalEdit.none().permissions(Set.of("read")));
      long start = System.nanoTime();
      while (((Verified) b.verifier().verify(t.value())).hasPermission("deploy")) {
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND.multipliedBy(5));
        Thread.sleep(5);
      }
      assertThat(((Verified) b.verifier().verify(t.value())).permissions()).containsExactly("read");
    }
  }
}
