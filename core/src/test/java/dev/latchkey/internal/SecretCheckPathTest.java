package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Verified;
import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/**
 * Which path the secret check takes, seen through the HMACs it computes (the probe counts them):
 * the first correct check of a token on a node is HMAC, later ones use the fast-check tag and
 * compute no HMAC. And a legacy (bcrypt) token
 * whose life has ended answers with its state, to the millisecond of its expiry, without running
 * bcrypt, so even a wrong secret is EXPIRED there and BAD_SECRET a millisecond before.
 */
class SecretCheckPathTest {

  @Test
  void aCorrectSecretCostsHmacOnceThenTheFastCheckOnly() {
    try (Node n = new Node(false)) {
      IssuedToken t = n.m.issueToken(n.system, NewToken.of(n.bot.apiKey("k"), "t", "T"));
      long before = n.hmacs.get();
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(n.hmacs.get() - before).as("first check: HMAC of the current hash").isEqualTo(1);
      before = n.hmacs.get();
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(n.engine.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(n.hmacs.get() - before).as("later checks: the fast-check tag, no HMAC").isZero();
    }
  }

  @Test
  void aLegacyTokenAtItsExpiryIsExpiredWhateverTheSecretAndBcryptIsNotRun() {
    try (Node n = new Node(true)) {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      String secret = "LegacyHolderSecret1";
      n.m.importToken(n.system, LegacyToken.of(n.bot.apiKey("k").token("old"), "Old", "acct", "tok",
          OpenBSDBCrypt.generate("2b", secret.toCharArray(), salt, 4), Expiration.after(Duration.ofMinutes(10))));
      n.clock.advance(Duration.ofMinutes(10).minusMillis(1));
      assertThat(n.engine.verify("sat.acct.tok.WrongSecret99")).as("1 ms before the expiry: checked, wrong")
          .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      n.clock.advance(Duration.ofMillis(1));
      assertThat(n.engine.verify("sat.acct.tok.WrongSecret99")).as("at the expiry: not checked, the token's state")
          .isEqualTo(Rejected.of(RejectReason.EXPIRED));
      assertThat(n.engine.verify("sat.acct.tok." + secret)).isEqualTo(Rejected.of(RejectReason.EXPIRED));
    }
  }
}
