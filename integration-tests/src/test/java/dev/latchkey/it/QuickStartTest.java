package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
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
import dev.latchkey.TokenManager;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.memory.MemoryTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's quick start, kept compiling and passing. Keep the two in sync. */
class QuickStartTest {

  @Test
  void issueVerifyRotateRevoke() {
    // --- README quick start: begin
    try (Latchkey latchkey = Latchkey.builder()
        .store(new MemoryTokenStore())                       // or JdbcTokenStore over your DataSource
        .peppers(PepperKeyset.generate(new SecureRandom()))  // in production: PepperKeyset.parse(secret)
        .tokenPrefix("acme")
        .build()) {
      TokenManager admin = latchkey.manager();
      Actor system = Actor.system();
      admin.createAccount(system, "acme", "Acme Inc.");
      var bot = admin.createServiceAccount(system,
          NewServiceAccount.of(Scope.account("acme"), "ci_bot", "CI bot").withPermissions(Set.of("deploy")));
      var key = admin.createApiKey(system, NewApiKey.of(bot.ref(), "ci_key", "CI key"));
      IssuedToken issued = admin.issueToken(system, NewToken.of(key.ref(), "pipeline", "Pipeline"));
      String token = issued.value().reveal();              // shown once: hand it to the caller now

      VerificationResult result = latchkey.verifier().verify(token);
      if (result instanceof Verified v && v.hasPermission("deploy")) {
        // authenticated as v.principal(): acme/sa/ci_bot
      }

      IssuedToken rotated = admin.rotateToken(system, issued.ref(), Rotation.withGrace(Duration.ofMinutes(5)));
      admin.deleteToken(system, rotated.ref());             // revoked everywhere: both secrets stop working
      // --- README quick start: end

      assertThat(result).isInstanceOf(Verified.class);
      Verified v = (Verified) result;
      assertThat(v.principal()).isEqualTo(bot.ref());
      assertThat(v.permissions()).containsExactly("deploy");
      assertThat(token).matches(latchkey.format().scannerPattern());
      assertThat(latchkey.verifier().verify(token)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(latchkey.verifier().verify(rotated.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
    }
  }
}
