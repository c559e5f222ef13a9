package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.AuditAction;
import dev.latchkey.ConfigurationException;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IssuedToken;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.testing.World;
import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens imported from a system that stored bcrypt hashes of dotted {@code pat./sat.} tokens. */
class LegacyImportTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final World w = new World(b -> b.acceptLegacyTokens(true));

  @AfterEach
  void close() {
    w.close();
  }

  private static String bcrypt(String version, String secret, int cost) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate(version, secret.toCharArray(), salt, cost);
  }

  private TokenRef importSat(String tokenId, String legacyTokenId, String secret, String hashVersion, Expiration exp) {
    var key = w.ci.ref().apiKey("legacy");
    if (w.memory.findApiKey(key).isEmpty()) {
      w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "legacy", "Imported"));
    }
    TokenRef ref = key.token(tokenId);
    w.m.importToken(w.system, LegacyToken.of(ref, "Imported " + tokenId, "kmpySmUISimoRrJL6NL73w", legacyTokenId,
        bcrypt(hashVersion, secret, 4), exp));
    return ref;
  }

  private void awaitScheme(TokenRef ref, String scheme) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!w.memory.findToken(ref).orElseThrow().current().scheme().equals(scheme)) {
      assertThat(System.nanoTime()).as("upgrade to " + scheme).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void anImportedTokenVerifiesInItsOldFormAndIsUpgradedToHmacOnFirstUse() throws Exception {
    String secret = "Zx8PqL2mVt9RrB4kWn7yHs";
    TokenRef ref = importSat("old1", "63f1c0a9e2b", secret, "2b", Expiration.after(Duration.ofDays(30)));
    assertThat(w.memory.findToken(ref).orElseThrow().current().scheme()).isEqualTo(CredentialHash.BCRYPT);
    String presented = "sat.kmpySmUISimoRrJL6NL73w.63f1c0a9e2b." + secret;

    Verified v = (Verified) w.verifier.verify(presented);
    assertThat(v.principal()).isEqualTo(w.ci.ref());
    assertThat(v.token()).isEqualTo(ref);
    awaitScheme(ref, CredentialHash.HMAC_SHA256);
    assertThat(w.memory.findToken(ref).orElseThrow().current().pepperVersion()).isEqualTo(World.PEPPERS.primaryVersion());
    assertThat(w.audit).extracting(e -> e.action()).contains(AuditAction.TOKEN_IMPORTED, AuditAction.TOKEN_REHASHED);

    w.latchkey.invalidateCache();
    assertThat(w.verifier.verify(presented)).as("now through HMAC").isInstanceOf(Verified.class);
    assertThat(w.verifier.verify(presented.substring(0, presented.length() - 1) + "Q"))
        .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
  }

  @Test
  void twoAHashesWorkToo() {
    String secret = "legacy-secret_2a-format";
    importSat("old2a", "tok2a", secret, "2a", Expiration.after(Duration.ofDays(1)));
    assertThat(w.verifier.verify("sat.kmpySmUISimoRrJL6NL73w.tok2a." + secret)).isInstanceOf(Verified.class);
  }

  @Test
  void wrongSecretsKindsAndIdsAreRejected() {
    String secret = "CorrectHorseBattery9";
    importSat("old3", "tok3", secret, "2b", Expiration.after(Duration.ofDays(1)));
    assertThat(w.verifier.verify("sat.kmpySmUISimoRrJL6NL73w.tok3.WrongHorseBattery9")).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    assertThat(w.verifier.verify("pat.kmpySmUISimoRrJL6NL73w.tok3." + secret)).as("kind of the wrong owner type")
        .isEqualTo(Rejected.of(RejectReason.UNKNOWN));
    assertThat(w.verifier.verify("sat.otherAccount.tok3." + secret)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
    assertThat(w.verifier.verify("sat.kmpySmUISimoRrJL6NL73w.tok3.short")).isEqualTo(Rejected.of(RejectReason.MALFORMED));
    assertThat(w.verifier.verify("sat.kmpy!.tok3." + secret)).isEqualTo(Rejected.of(RejectReason.MALFORMED));
    assertThat(w.verifier.verify("sat..tok3." + secret)).isEqualTo(Rejected.of(RejectReason.MALFORMED));
  }

  @Test
  void importedTokensFollowExpiryAndRevocation() {
    String secret = "ExpiringLegacySecret1";
    TokenRef exp = importSat("exp", "tokexp", secret, "2b", Expiration.after(Duration.ofHours(1)));
    String presented = "sat.kmpySmUISimoRrJL6NL73w.tokexp." + secret;
    assertThat(w.verifier.verify(presented)).isInstanceOf(Verified.class);
    TokenRef rev = importSat("rev", "tokrev", secret, "2b", Expiration.after(Duration.ofDays(1)));
    w.m.revokeToken(w.system, rev);
    assertThat(w.verifier.verify("sat.kmpySmUISimoRrJL6NL73w.tokrev." + secret)).isEqualTo(Rejected.of(RejectReason.REVOKED));
    w.clock.advance(Duration.ofHours(1));
    assertThat(w.verifier.verify(presented)).isEqualTo(Rejected.of(RejectReason.EXPIRED));
  }

  @Test
  void rotationMovesAnImportedTokenToTheNativeFormat() {
    String secret = "RotateMeIntoNative42";
    TokenRef ref = importSat("rot", "tokrot", secret, "2b", Expiration.after(Duration.ofDays(10)));
    String legacy = "sat.kmpySmUISimoRrJL6NL73w.tokrot." + secret;
    IssuedToken rotated = w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofMinutes(10)));
    assertThat(rotated.value().reveal()).matches(w.latchkey.format().scannerPattern());
    assertThat(rotated.token().lookupId()).isEqualTo(w.memory.findToken(ref).orElseThrow().lookupId());
    assertThat(w.verifier.verify(rotated.value())).isInstanceOf(Verified.class);
    assertThat(w.verifier.verify(legacy)).as("the old bcrypt secret during grace").isInstanceOf(Verified.class);
    w.clock.advance(Duration.ofMinutes(10));
    assertThat(w.verifier.verify(legacy)).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    assertThat(w.verifier.verify(rotated.value())).isInstanceOf(Verified.class);
  }

  @Test
  void importIsValidatedAndNeedsTheLegacyFormatEnabled() {
    var key = w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K")).ref();
    assertThatThrownBy(() -> LegacyToken.of(key.token("t"), "T", "acct", "tok", "$1$notbcrypt", Expiration.defaultLifetime()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("bcrypt");
    assertThatThrownBy(() -> LegacyToken.of(key.token("t"), "T", "acct.dot", "tok", bcrypt("2b", "x", 4), Expiration.defaultLifetime()))
        .isInstanceOf(InvalidArgumentException.class);
    LegacyToken ok = LegacyToken.of(key.token("t"), "T", "acct", "tok", bcrypt("2b", "abcdefgh", 4), Expiration.defaultLifetime());
    assertThat(ok.toString()).doesNotContain(ok.bcryptHash());
    try (World plain = new World()) {
      var k2 = plain.m.createApiKey(plain.system, NewApiKey.of(plain.ci.ref(), "k", "K")).ref();
      assertThatThrownBy(() -> plain.m.importToken(plain.system,
              LegacyToken.of(k2.token("t"), "T", "acct", "tok", bcrypt("2b", "abcdefgh", 4), Expiration.defaultLifetime())))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("acceptLegacyTokens");
      assertThat(plain.verifier.verify("sat.acct.tok.abcdefgh")).isEqualTo(Rejected.of(RejectReason.MALFORMED));
    }
    Token imported = w.m.importToken(w.system, ok);
    assertThat(imported.expiresAt()).isNotNull();
    assertThat(w.verifier.verify("sat.acct.tok.abcdefgh")).isInstanceOf(Verified.class);
  }

  @Test
  void aRealisticCostTenHashVerifies() {
    String secret = "RealisticCostTenSecretValue";
    var key = w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k10", "K10")).ref();
    w.m.importToken(w.system, LegacyToken.of(key.token("t"), "T", "acct10", "tok10", bcrypt("2b", secret, 10),
        Expiration.defaultLifetime()));
    assertThat(w.verifier.verify("sat.acct10.tok10." + secret)).isInstanceOf(Verified.class);
  }

  @Test
  void onceUpgradedWrongSecretsInTheOldFormRunNoBcryptAndAreNeverThrottled() throws Exception {
    String secret = "Qw7ErT5yUi3oPa1sDf9gHj";
    TokenRef ref = importSat("old2", "9c2d7e", secret, "2b", Expiration.after(Duration.ofDays(30)));
    String presented = "sat.kmpySmUISimoRrJL6NL73w.9c2d7e." + secret;
    assertThat(w.verifier.verify(presented)).isInstanceOf(Verified.class);
    awaitScheme(ref, CredentialHash.HMAC_SHA256);
    // the upgrade made this node forget its bcrypt entry: the failure budget of bcrypt (three, then a
    // backoff) no longer applies, every wrong secret is simply BAD_SECRET
    for (int i = 0; i < 6; i++) {
      assertThat(w.verifier.verify("sat.kmpySmUISimoRrJL6NL73w.9c2d7e.WrongSecret" + i))
          .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    }
    assertThat(w.verifier.verify(presented)).isInstanceOf(Verified.class);
  }
}
