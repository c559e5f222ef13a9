package dev.latchkey.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKey;
import dev.latchkey.Principal;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The store behind a real {@link dev.latchkey.Latchkey}: issue, verify, rotate, revoke, delete; and no
 * secret ever reaches what the store keeps.
 */
abstract class EndToEndContract extends ContractGroup {
  @Test
  void verificationWorksThroughLatchkeyAndNoSecretIsEverStored() {
    List<String> values = new ArrayList<>();
    try (dev.latchkey.Latchkey latchkey = dev.latchkey.Latchkey.builder()
        .store(store)
        .peppers(dev.latchkey.PepperKeyset.generate(new java.security.SecureRandom()))
        .tokenPrefix("tck")
        .auditListener(dev.latchkey.AuditListener.none())
        .build()) {
      dev.latchkey.TokenManager m = latchkey.manager();
      dev.latchkey.Actor system = dev.latchkey.Actor.system();
      m.createAccount(system, "acme", "Acme");
      Principal bot = m.createServiceAccount(system,
          dev.latchkey.NewServiceAccount.of(dev.latchkey.Scope.org("acme", "eng"), "bot", "Bot")
              .withPermissions(Set.of("deploy")));
      ApiKey k = m.createApiKey(system, dev.latchkey.NewApiKey.of(bot.ref(), "k1", "Key"));
      List<dev.latchkey.IssuedToken> issued = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        dev.latchkey.IssuedToken t = m.issueToken(system, dev.latchkey.NewToken.of(k.ref(), "t" + i, "Token " + i));
        issued.add(t);
        values.add(t.value().reveal());
        assertThat(latchkey.verifier().verify(t.value())).isInstanceOf(dev.latchkey.Verified.class);
      }
      dev.latchkey.IssuedToken rotated = m.rotateToken(system, issued.get(0).ref(),
          dev.latchkey.Rotation.withGrace(Duration.ofMinutes(5)));
      values.add(rotated.value().reveal());
      assertThat(latchkey.verifier().verify(rotated.value())).isInstanceOf(dev.latchkey.Verified.class);
      assertThat(latchkey.verifier().verify(issued.get(0).value())).as("old secret within grace")
          .isInstanceOf(dev.latchkey.Verified.class);
      m.revokeToken(system, issued.get(1).ref());
      assertThat(latchkey.verifier().verify(issued.get(1).value())).isEqualTo(
          dev.latchkey.Rejected.of(dev.latchkey.RejectReason.REVOKED));
      m.deleteToken(system, issued.get(2).ref());
      assertThat(latchkey.verifier().verify(issued.get(2).value())).isEqualTo(
          dev.latchkey.Rejected.of(dev.latchkey.RejectReason.UNKNOWN));
      latchkey.flushLastUsed();
      Instant lastUsed = store.findToken(issued.get(3).ref()).orElseThrow().token().lastUsedAt();
      if (store.lastUsedSink().isPresent()) {
        assertThat(lastUsed).isNotNull();
      } else {
        assertThat(lastUsed).as("a store without a last-used sink records no last use").isNull();
      }

      StringBuilder everything = new StringBuilder();
      for (TokenRecord r : all(p -> store.listTokens(k.ref(), p), 100)) {
        everything.append(r).append(r.current().encoded())
            .append(r.previous() == null ? "" : r.previous().encoded()).append('\n');
      }
      everything.append(store.findPrincipal(bot.ref()).orElseThrow()).append(store.findApiKey(k.ref()).orElseThrow());
      storageDump().ifPresent(everything::append);
      String text = everything.toString();
      int secretStart = "tck".length() + 1 + 3 + 1 + dev.latchkey.TokenFormat.ID_LENGTH + 1;
      for (String v : values) {
        String secret = v.substring(secretStart, secretStart + dev.latchkey.TokenFormat.SECRET_LENGTH);
        assertThat(text).doesNotContain(v).doesNotContain(secret)
            .doesNotContain(secret.substring(0, 16)).doesNotContain(secret.substring(secret.length() - 16));
      }
      assertThat(text).contains(issued.get(3).token().lookupId()); // the dump is not vacuous
    }
  }
}
