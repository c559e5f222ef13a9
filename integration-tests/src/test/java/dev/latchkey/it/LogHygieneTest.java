package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.Rotation;
import dev.latchkey.TokenEdit;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testing.SecretMatcher;
import dev.latchkey.testsupport.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * All log output at TRACE, across issue, verify, rotate, revoke and failures, holds no piece of a
 * token's secret part, of a pepper or of a stored digest: nothing of 12 characters or more ({@link
 * SecretMatcher}, shared with {@link SecretHygieneTest}).
 */
class LogHygieneTest {

  @Test
  void noTokenSecretOrPepperReachesAnyLogLine() {
    SecretMatcher secrets = new SecretMatcher();
    List<String> logLines;
    try (LogCapture logs = new LogCapture(); World w = new World(b -> b.auditListener(dev.latchkey.AuditListener.slf4j()))) {
      IssuedToken t = w.m.issueToken(w.system, NewToken.of(
          w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K")).ref(), "t", "T"));
      secrets.token(t.value().reveal());
      w.verifier.verify(t.value());
      IssuedToken r = w.m.rotateToken(w.system, t.ref(), Rotation.withGrace(Duration.ofMinutes(1)));
      secrets.token(r.value().reveal());
      TokenRecord stored = w.memory.findToken(t.ref()).orElseThrow();
      secrets.secret(stored.current().payload());
      secrets.secret(java.util.Objects.requireNonNull(stored.previous()).payload());
      w.verifier.verify(t.value());
      w.verifier.verify(r.value());
      w.m.editToken(w.system, t.ref(), TokenEdit.none().name("renamed"));
      w.verifier.verify(r.value().reveal().substring(0, 70) + "x"); // malformed
      w.verifier.verify(t.value().reveal().replace('a', 'b'));    // wrong secret or malformed
      w.clock.advance(Duration.ofMinutes(2));
      w.verifier.verify(t.value());                                // past grace
      w.store.failing = true;
      w.latchkey.invalidateCache();
      w.verifier.verify(r.value());                                // store error
      w.store.failing = false;
      w.m.revokeToken(w.system, t.ref());
      w.verifier.verify(r.value());
      w.m.deleteToken(w.system, t.ref());
      w.latchkey.flushLastUsed();
      logLines = logs.lines();
      secrets.peppers(World.PEPPERS);
    }
    assertThat(String.join("\n", logLines)).as("the capture is not vacuous").contains("TOKEN_ROTATED").contains("fail closed");
    secrets.assertNoneIn("log lines", logLines);
  }
}
