package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.LegacyToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Verified;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/**
 * When every bcrypt permit is held (as a flood of legacy checks would hold them), a check waits a
 * bounded time and is then BUSY: the secret was not checked, so the answer is not BAD_SECRET. The
 * permits are the engine's real semaphore, held here by the test.
 */
class BcryptPermitTest {

  @Test
  void aCheckThatGetsNoPermitWithinTheWaitIsBusyNotBadSecret() throws Exception {
    try (Node n = new Node(true)) {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      String secret = "LegacyHolderSecret1";
      n.m.importToken(n.system, LegacyToken.of(n.bot.apiKey("k").token("old"), "Old", "acct", "tok",
          OpenBSDBCrypt.generate("2b", secret.toCharArray(), salt, 4), Expiration.after(Duration.ofDays(1))));
      String token = "sat.acct.tok." + secret;

      Semaphore permits = n.engine.bcrypt().permits();
      int held = permits.drainPermits();
      assertThat(held).isEqualTo(2);
      long start = System.nanoTime();
      assertThat(n.engine.verify(token)).isEqualTo(Rejected.of(RejectReason.BUSY));
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(n.engine.verify("sat.acct.tok.WrongSecret99")).as("a wrong secret is not checked either")
          .isEqualTo(Rejected.of(RejectReason.BUSY));
      assertThat(waitedMillis).as("bounded wait for a permit").isBetween(Bcrypt.PERMIT_WAIT_MILLIS - 5, 5_000L);

      permits.release(held);
      assertThat(n.engine.verify(token)).as("BUSY was not remembered").isInstanceOf(Verified.class);
      assertThat(n.engine.stats().rejected(RejectReason.BUSY)).isEqualTo(2);
    }
  }
}
