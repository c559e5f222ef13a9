package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.AuditListener;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Scope;
import dev.latchkey.TokenFormat;
import dev.latchkey.Verified;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testing.World;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A token verifies only under the prefix it was issued with, even on another instance that shares
 * the store and the pepper: the prefix is part of the HMAC input.
 */
class PrefixBindingTest {

  private static Latchkey node(SimpleTokenStore shared, String prefix) {
    return Latchkey.builder().store(shared).peppers(World.PEPPERS).tokenPrefix(prefix)
        .auditListener(AuditListener.none()).build();
  }

  /** {@code token} with its prefix replaced by {@code prefix} and the checksum recomputed. */
  static String withPrefix(String token, String from, String prefix) {
    String body = prefix + token.substring(from.length(), token.length() - TokenFormat.CHECKSUM_LENGTH);
    return body + TokenText.checksum(body);
  }

  @Test
  void aTokenRewrittenToAnotherPrefixIsRejectedByTheInstanceOfThatPrefix() {
    SimpleTokenStore shared = new SimpleTokenStore();
    try (Latchkey acme = node(shared, "acme"); Latchkey beta = node(shared, "beta")) {
      Actor system = Actor.system();
      acme.manager().createAccount(system, "acme", "Acme");
      var sa = acme.manager().createServiceAccount(system,
          NewServiceAccount.of(Scope.account("acme"), "bot", "Bot").withPermissions(Set.of("deploy")));
      acme.manager().createApiKey(system, NewApiKey.of(sa.ref(), "k", "K"));
      IssuedToken fromAcme = acme.manager().issueToken(system, NewToken.of(sa.ref().apiKey("k"), "a", "A"));
      IssuedToken fromBeta = beta.manager().issueToken(system, NewToken.of(sa.ref().apiKey("k"), "b", "B"));

      assertThat(acme.verifier().verify(fromAcme.value())).isInstanceOf(Verified.class);
      assertThat(beta.verifier().verify(fromBeta.value())).isInstanceOf(Verified.class);

      String acmeAsBeta = withPrefix(fromAcme.value().reveal(), "acme", "beta");
      assertThat(acmeAsBeta).as("well-formed for beta").matches(beta.format().scannerPattern());
      assertThat(beta.verifier().verify(acmeAsBeta)).as("acme's token under beta's prefix")
          .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      String betaAsAcme = withPrefix(fromBeta.value().reveal(), "beta", "acme");
      assertThat(acme.verifier().verify(betaAsAcme)).as("beta's token under acme's prefix")
          .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));

      // the originals still verify where they belong, also after the rewritten ones were tried
      assertThat(acme.verifier().verify(fromAcme.value())).isInstanceOf(Verified.class);
      assertThat(beta.verifier().verify(fromBeta.value())).isInstanceOf(Verified.class);
      acme.invalidateCache();
      beta.invalidateCache();
      assertThat(acme.verifier().verify(fromAcme.value())).as("through the HMAC again").isInstanceOf(Verified.class);
      assertThat(beta.verifier().verify(fromBeta.value())).isInstanceOf(Verified.class);
    }
  }
}
