package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Scope;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Timing must not tell whether a known lookup id is active, revoked, expired or disabled. The proof
 * here is the work done, counted by the HMAC probe of the real {@link SecretHasher}: every wrong
 * secret for a known id costs exactly two HMACs (current and previous hash, a dummy where there is
 * none) whatever the token's state, and the REVOKED, EXPIRED and DISABLED answers come only after the
 * HMAC has checked the secret. The JMH {@code RejectionTimingBenchmark} reports the resulting times.
 */
class RejectionCostTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private long hmacsOf(Node n, String token, VerificationResult expected) {
    long before = n.hmacs.get();
    VerificationResult r = n.engine.verify(token);
    long spent = n.hmacs.get() - before;
    if (expected instanceof Verified) {
      assertThat(r).isInstanceOf(Verified.class);
    } else {
      assertThat(r).isEqualTo(expected);
    }
    return spent;
  }

  /** The same lookup id and kind with another secret, checksum valid. */
  private static String wrongSecret(Node n, IssuedToken t) {
    return n.codec.encode(PrincipalType.SERVICE_ACCOUNT, t.token().lookupId(), n.codec.newSecret(RANDOM));
  }

  @Test
  void everyWrongSecretForAKnownIdCostsTheSameHmacsWhateverTheTokensState() {
    try (Node n = new Node(false)) {
      var key = n.bot.apiKey("k");
      IssuedToken active = n.m.issueToken(n.system, NewToken.of(key, "active", "Active"));
      IssuedToken revoked = n.m.issueToken(n.system, NewToken.of(key, "revoked", "Revoked"));
      IssuedToken expired = n.m.issueToken(n.system, NewToken.of(key, "expired", "Expired")
          .expiring(Expiration.after(Duration.ofHours(1))));
      var other = n.m.createServiceAccount(n.system, NewServiceAccount.of(Scope.account("acme"), "off", "Off")
          .withPermissions(Set.of("deploy"))).ref();
      n.m.createApiKey(n.system, NewApiKey.of(other, "k", "K"));
      IssuedToken disabled = n.m.issueToken(n.system, NewToken.of(other.apiKey("k"), "disabled", "Disabled"));
      IssuedToken rotated = n.m.issueToken(n.system, NewToken.of(key, "rotated", "Rotated"));
      rotated = n.m.rotateToken(n.system, rotated.ref(), dev.latchkey.Rotation.withGrace(Duration.ofMinutes(5)));
      for (IssuedToken t : new IssuedToken[] {active, revoked, expired, disabled, rotated}) {
        assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class); // cached, with its fast-check tag
      }
      n.m.revokeToken(n.system, revoked.ref());
      n.m.setEnabled(n.system, other, false);
      n.clock.advance(Duration.ofHours(2));

      Rejected bad = Rejected.of(RejectReason.BAD_SECRET);
      for (IssuedToken t : new IssuedToken[] {active, revoked, expired, disabled, rotated}) {
        String wrong = wrongSecret(n, t);
        hmacsOf(n, wrong, bad); // once to load the entry after the changes, then measured
        assertThat(hmacsOf(n, wrong, bad)).as("HMACs for a wrong secret of the %s token", t.ref().id()).isEqualTo(2);
      }
      String unknown = n.codec.encode(PrincipalType.SERVICE_ACCOUNT, n.codec.newLookupId(RANDOM), n.codec.newSecret(RANDOM));
      assertThat(hmacsOf(n, unknown, Rejected.of(RejectReason.UNKNOWN))).as("unknown id: nothing to hash against")
          .isZero();
    }
  }

  @Test
  void revokedExpiredAndDisabledAreDecidedOnlyAfterTheHmacCheckedTheSecret() {
    try (Node n = new Node(false)) {
      var key = n.bot.apiKey("k");
      IssuedToken revoked = n.m.issueToken(n.system, NewToken.of(key, "revoked", "Revoked"));
      IssuedToken expired = n.m.issueToken(n.system, NewToken.of(key, "expired", "Expired")
          .expiring(Expiration.after(Duration.ofHours(1))));
      var other = n.m.createServiceAccount(n.system, NewServiceAccount.of(Scope.account("acme"), "off", "Off")
          .withPermissions(Set.of("deploy"))).ref();
      n.m.createApiKey(n.system, NewApiKey.of(other, "k", "K"));
      IssuedToken disabled = n.m.issueToken(n.system, NewToken.of(other.apiKey("k"), "disabled", "Disabled"));
      n.m.revokeToken(n.system, revoked.ref());
      n.m.setEnabled(n.system, other, false);
      n.clock.advance(Duration.ofHours(2));

      assertThat(hmacsOf(n, revoked.value().reveal(), Rejected.of(RejectReason.REVOKED))).isEqualTo(1);
      assertThat(hmacsOf(n, expired.value().reveal(), Rejected.of(RejectReason.EXPIRED))).isEqualTo(1);
      assertThat(hmacsOf(n, disabled.value().reveal(), Rejected.of(RejectReason.DISABLED))).isEqualTo(1);
      assertThat(hmacsOf(n, revoked.value().reveal(), Rejected.of(RejectReason.REVOKED))).as("again, cached entry")
          .isEqualTo(1);
    }
  }
}
