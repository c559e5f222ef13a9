package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenRef;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.testing.World;
import java.time.Duration;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Found by fuzzing legacy tokens with long secrets: bcrypt reads only the first 72 bytes of its
 * input (Bouncy Castle's {@code OpenBSDBCrypt.checkPassword} truncates silently), so a longer
 * secret could only be half-checked, and the first variant presented would then be upgraded to
 * HMAC as "the" secret. Latchkey therefore refuses legacy secrets longer than 72 characters.
 */
class LegacyBcryptTruncationTest {
  private static final String ACCOUNT = "legacyacct";
  private final World w = new World(b -> b.acceptLegacyTokens(true));

  @AfterEach
  void close() {
    w.close();
  }

  private TokenRef importWithSecret(String tokenId, String secret) {
    var key = w.ci.ref().apiKey("legacy");
    if (w.memory.findApiKey(key).isEmpty()) {
      w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "legacy", "Imported"));
    }
    TokenRef ref = key.token(tokenId);
    // what the old system stored: a bcrypt hash of the secret (any bcrypt reads only 72 bytes of it)
    String hash = OpenBSDBCrypt.generate("2b", secret.toCharArray(), new byte[16], 4);
    w.m.importToken(w.system, LegacyToken.of(ref, "Imported", ACCOUNT, tokenId, hash, Expiration.after(Duration.ofDays(30))));
    return ref;
  }

  @Test
  void secretsLongerThan72CharactersAreRefusedNotHalfChecked() {
    String secret = "A".repeat(72) + "realTail";                 // 80 characters: bcrypt would read 72
    importWithSecret("tok80", secret);
    String real = "sat." + ACCOUNT + ".tok80." + secret;
    String forged = "sat." + ACCOUNT + ".tok80." + "A".repeat(72) + "forgedXY";
    assertThat(w.verifier.verify(forged)).isEqualTo(Rejected.of(RejectReason.MALFORMED));
    assertThat(w.verifier.verify(real)).isEqualTo(Rejected.of(RejectReason.MALFORMED));
    assertThat(w.memory.findToken(w.ci.ref().apiKey("legacy").token("tok80")).orElseThrow().current().scheme())
        .as("nothing was upgraded").isEqualTo(CredentialHash.BCRYPT);
  }

  @Test
  void secretsOfAtMost72CharactersAreComparedWhole() {
    String secret = "B".repeat(71) + "c";
    importWithSecret("tok72", secret);
    assertThat(w.verifier.verify("sat." + ACCOUNT + ".tok72." + "B".repeat(71) + "d"))
        .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    assertThat(w.verifier.verify("sat." + ACCOUNT + ".tok72." + secret)).isInstanceOf(Verified.class);
  }
}
