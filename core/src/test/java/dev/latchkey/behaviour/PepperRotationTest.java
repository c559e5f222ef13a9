package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Actor;
import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.ConfigurationException;
import dev.latchkey.HashUsage;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Verified;
import dev.latchkey.testing.SimpleTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Pepper rotation end to end: add a primary, upgrade on use, refuse to drop a pepper still in use. */
class PepperRotationTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SimpleTokenStore store = new SimpleTokenStore();
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

  private Latchkey node(PepperKeyset peppers) {
    return Latchkey.builder().store(store).peppers(peppers).tokenPrefix("acme").auditListener(audit::add).build();
  }

  private static byte[] key() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }

  private long hashes(int version) {
    return store.hashUsageQuery().orElseThrow().hashUsage().stream().filter(u -> u.pepperVersion() == version)
        .mapToLong(HashUsage::count).sum();
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void oldHashesVerifyAreUpgradedOnUseAndTheOldPepperCanThenGo() throws Exception {
    PepperKeyset v1 = PepperKeyset.generate(RANDOM);
    IssuedToken t;
    IssuedToken graced;
    Actor sys = Actor.system();
    try (Latchkey a = node(v1)) {
      a.manager().createAccount(sys, "acme", "Acme");
      var sa = a.manager().createServiceAccount(sys, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot"));
      var k = a.manager().createApiKey(sys, NewApiKey.of(sa.ref(), "k", "K"));
      t = a.manager().issueToken(sys, NewToken.of(k.ref(), "t", "T"));
      graced = a.manager().issueToken(sys, NewToken.of(k.ref(), "g", "G"));
    }
    assertThat(hashes(1)).isEqualTo(2);

    PepperKeyset v1v2 = v1.withPrimary(2, key());
    try (Latchkey b = node(v1v2)) {
      assertThat(b.verifier().verify(t.value())).isInstanceOf(Verified.class);
      await(() -> store.findToken(t.ref()).orElseThrow().current().pepperVersion() == 2);
      assertThat(audit).anySatisfy(e -> {
        assertThat(e.action()).isEqualTo(AuditAction.TOKEN_REHASHED);
        assertThat(e.details()).containsEntry("from", "hmac-sha256/1").containsEntry("to", "hmac-sha256/2");
      });
      assertThat(b.verifier().verify(t.value())).as("still valid after the upgrade").isInstanceOf(Verified.class);
      // a rotation hashes the new secret with the primary; the previous (v1) hash stays for the grace period
      graced = b.manager().rotateToken(sys, graced.ref(), Rotation.withGrace(Duration.ofMinutes(5)));
      assertThat(hashes(1)).as("only the previous secret of the rotated token").isEqualTo(1);
      assertThat(b.manager().hashUsage(sys)).contains(new HashUsage("hmac-sha256", 1, 1));
    }

    PepperKeyset onlyV2 = v1v2.without(1);
    assertThatThrownBy(() -> node(onlyV2)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("version 1 (1 hashes)").hasMessageNotContaining(v1.export());

    try (Latchkey b = node(v1v2)) {
      b.manager().rotateToken(sys, graced.ref(), Rotation.immediate()); // drops the v1 previous hash
    }
    assertThat(hashes(1)).isZero();
    try (Latchkey c = node(onlyV2)) {
      assertThat(c.verifier().verify(t.value())).isInstanceOf(Verified.class);
    }
  }

  @Test
  void aDifferentPepperUnderAKnownVersionIsRefused() {
    try (Latchkey a = node(PepperKeyset.builder().add(1, key()).build())) {
      assertThat(a.manager()).isNotNull();
    }
    PepperKeyset impostor = PepperKeyset.builder().add(1, key()).build();
    assertThatThrownBy(() -> node(impostor)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("pepper version 1 is not the pepper this store was used with")
        .hasMessageNotContaining(impostor.export());
  }

  @Test
  void droppingAPepperStillInUseIsRefusedUnlessForced() {
    PepperKeyset v1 = PepperKeyset.generate(RANDOM);
    IssuedToken t;
    Actor sys = Actor.system();
    try (Latchkey a = node(v1)) {
      a.manager().createAccount(sys, "acme", "Acme");
      var sa = a.manager().createServiceAccount(sys, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot"));
      t = a.manager().issueToken(sys, NewToken.of(a.manager().createApiKey(sys, NewApiKey.of(sa.ref(), "k", "K")).ref(), "t", "T"));
    }
    PepperKeyset other = PepperKeyset.builder().add(7, key()).build();
    assertThatThrownBy(() -> node(other)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lacks versions that stored hashes still use").hasMessageContaining("version 1");
    try (Latchkey forced = Latchkey.builder().store(store).peppers(other).tokenPrefix("acme")
        .allowUnknownPepperVersions(true).build()) {
      assertThat(forced.verifier().verify(t.value())).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    }
  }
}
