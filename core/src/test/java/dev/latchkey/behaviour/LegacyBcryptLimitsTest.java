package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConfigurationException;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Latchkey;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.LogCapture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits on bcrypt work that imported legacy tokens can cause: the cost ceiling (at import and
 * at verification), the per-id failure budget with its short backoff, and rate-limited warnings.
 * The bounded wait for a permit is {@code BcryptPermitTest}; the whole attack is {@code
 * LegacyStarvationTest}.
 */
class LegacyBcryptLimitsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final World w = new World(b -> b.acceptLegacyTokens(true));

  @AfterEach
  void close() {
    w.close();
  }

  /** A syntactically valid bcrypt hash of the given cost (its salt and digest are arbitrary). */
  static String hashOfCost(int cost) {
    return String.format("$2b$%02d$", cost) + "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
  }

  private static String bcrypt(String secret) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", secret.toCharArray(), salt, 4);
  }

  private TokenRef importToken(String id, String legacyTokenId, String hash) {
    var key = w.ci.ref().apiKey("legacy");
    if (w.memory.findApiKey(key).isEmpty()) {
      w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "legacy", "Imported"));
    }
    w.m.importToken(w.system, LegacyToken.of(key.token(id), "T " + id, "acct", legacyTokenId, hash,
        Expiration.after(Duration.ofDays(1))));
    return key.token(id);
  }

  @Test
  void importRefusesACostAboveTheCeiling() {
    for (int cost : new int[] {13, 20, 31}) {
      assertThatThrownBy(() -> importToken("t" + cost, "tok" + cost, hashOfCost(cost)))
          .as("cost %d", cost)
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("cost " + cost)
          .hasMessageContaining("4 to 12")
          .hasMessageContaining("maxBcryptCost");
      assertThat(w.memory.findToken(w.ci.ref().apiKey("legacy").token("t" + cost))).as("nothing written").isEmpty();
    }
    importToken("t12", "tok12", hashOfCost(12));
    importToken("t4", "tok4", hashOfCost(4));
  }

  @Test
  void theCeilingIsABuilderSettingFrom4To14() {
    try (World low = new World(b -> b.acceptLegacyTokens(true).maxBcryptCost(10))) {
      var key = low.m.createApiKey(low.system, NewApiKey.of(low.ci.ref(), "k", "K")).ref();
      assertThatThrownBy(() -> low.m.importToken(low.system, LegacyToken.of(key.token("t"), "T", "acct", "tok",
              hashOfCost(11), Expiration.after(Duration.ofDays(1)))))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("4 to 10");
      low.m.importToken(low.system, LegacyToken.of(key.token("t"), "T", "acct", "tok", hashOfCost(10),
          Expiration.after(Duration.ofDays(1))));
    }
    assertThatThrownBy(() -> Latchkey.builder().maxBcryptCost(15)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("4 to 14");
    assertThatThrownBy(() -> Latchkey.builder().maxBcryptCost(3)).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aStoredHashAboveTheCeilingIsNeverRun() {
    // written behind Latchkey's back, as the issue observed (cost 31: one check would take days)
    var key = w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K")).ref();
    var now = w.clock.instant();
    // the lookup id the dotted form acct.tok31 is looked up by: that of a (removed) import of those ids
    String lookupId = w.m.importToken(w.system, LegacyToken.of(key.token("t31"), "T", "acct", "tok31", hashOfCost(4),
        Expiration.after(Duration.ofDays(1)))).lookupId();
    w.m.deleteToken(w.system, key.token("t31"));
    Token token = new Token(key.token("t31"), lookupId, "T", "", Map.of(), now, now.plus(Duration.ofDays(1)),
        TokenStatus.ACTIVE, null, null, null, 1);
    w.memory.insertToken(new TokenRecord(token, new CredentialHash(CredentialHash.BCRYPT, 0, hashOfCost(31)),
        null), 100, now);
    try (LogCapture logs = new LogCapture()) {
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(w.verifier.verify("sat.acct.tok31.SomeLegacySecret")).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bcrypt never ran").isLessThan(Duration.ofSeconds(2));
      assertThat(logs.lines().stream().filter(l -> l.contains("above maxBcryptCost"))).as("one warning for 20 tries")
          .hasSize(1);
    }
  }

  @Test
  void repeatedFailuresOfOneIdAreThrottledForAShortBackoffThatTheHolderOutlasts() {
    String secret = "HolderOfTokenX1";
    importToken("x", "tokx", bcrypt(secret));
    importToken("y", "toky", bcrypt("HolderOfTokenY1"));
    String x = "sat.acct.tokx." + secret;
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 3; i++) {
        assertThat(w.verifier.verify("sat.acct.tokx.WrongGuess" + i)).as("failure %d of the budget", i + 1)
            .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      }
      for (int i = 0; i < 50; i++) {
        assertThat(w.verifier.verify("sat.acct.tokx.WrongGuessMore" + i)).isEqualTo(Rejected.of(RejectReason.THROTTLED));
      }
      assertThat(w.verifier.verify(x)).as("the holder, during the backoff: not checked, not a bad secret")
          .isEqualTo(Rejected.of(RejectReason.THROTTLED));
      assertThat(w.verifier.verify("sat.acct.toky.HolderOfTokenY1")).as("other ids are unaffected")
          .isInstanceOf(Verified.class);

      w.clock.advance(Duration.ofMillis(1000));
      assertThat(w.verifier.verify("sat.acct.tokx.WrongAfterBackoff")).as("one check per backoff")
          .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      assertThat(w.verifier.verify(x)).isEqualTo(Rejected.of(RejectReason.THROTTLED));
      w.clock.advance(Duration.ofMillis(1000));
      assertThat(w.verifier.verify(x)).as("the holder after the backoff").isInstanceOf(Verified.class);

      assertThat(logs.lines().stream().filter(l -> l.contains("keep failing"))).as("rate-limited warning").hasSize(1);
      assertThat(w.latchkey.stats().rejected(RejectReason.BAD_SECRET)).as("bcrypt runs that failed").isEqualTo(4);

      // the next warning, an interval later, counts what was suppressed
      importToken("z", "tokz", bcrypt("HolderOfTokenZ1"));
      w.clock.advance(Duration.ofSeconds(10));
      for (int i = 0; i < 4; i++) {
        w.verifier.verify("sat.acct.tokz.WrongGuess" + i);
      }
      // suppressed since the first warning: 49 wrong guesses, the holder twice
      assertThat(logs.lines().stream().filter(l -> l.contains("keep failing"))).hasSize(2)
          .last().asString().contains("51 more like this");
    }
  }

  @Test
  void anIdsFailuresAreForgottenSixtySecondsAfterTheLastOneToTheMillisecond() {
    importToken("x", "tokx", bcrypt("HolderOfTokenX1"));
    importToken("y", "toky", bcrypt("HolderOfTokenY1"));
    for (int i = 0; i < 3; i++) {
      assertThat(w.verifier.verify("sat.acct.tokx.WrongGuess" + i)).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      assertThat(w.verifier.verify("sat.acct.toky.WrongGuess" + i)).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    }
    w.clock.advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(w.verifier.verify("sat.acct.tokx.WrongGuessLate")).as("1 ms before: still past the budget, one check")
        .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    assertThat(w.verifier.verify("sat.acct.tokx.WrongGuessLate2")).isEqualTo(Rejected.of(RejectReason.THROTTLED));
    w.clock.advance(Duration.ofMillis(1));
    for (int i = 0; i < 3; i++) {
      assertThat(w.verifier.verify("sat.acct.toky.WrongGuessAgain" + i)).as("at 60 s: a fresh budget, failure %d", i + 1)
          .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    }
    assertThat(w.verifier.verify("sat.acct.toky.WrongGuessAgain3")).isEqualTo(Rejected.of(RejectReason.THROTTLED));
  }

  @Test
  void aClockThatMovesBackStartsAFreshBudget() {
    importToken("x", "tokx", bcrypt("HolderOfTokenX1"));
    for (int i = 0; i < 3; i++) {
      assertThat(w.verifier.verify("sat.acct.tokx.WrongGuess" + i)).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    }
    assertThat(w.verifier.verify("sat.acct.tokx.WrongGuess3")).isEqualTo(Rejected.of(RejectReason.THROTTLED));
    w.clock.set(World.START.minusMillis(1));
    assertThat(w.verifier.verify("sat.acct.tokx.HolderOfTokenX1")).as("not refused: the failures are forgotten")
        .isInstanceOf(Verified.class);
  }

  @Test
  void aHashAtExactlyTheCeilingIsRun() {
    try (World at4 = new World(b -> b.acceptLegacyTokens(true).maxBcryptCost(4))) {
      var key = at4.ci.ref().apiKey("legacy");
      at4.m.createApiKey(at4.system, NewApiKey.of(at4.ci.ref(), "legacy", "Imported"));
      at4.m.importToken(at4.system, LegacyToken.of(key.token("x"), "T x", "acct", "tokx", bcrypt("HolderOfTokenX1"),
          Expiration.after(Duration.ofDays(1))));
      assertThat(at4.verifier.verify("sat.acct.tokx.HolderOfTokenX1")).as("cost 4 with a ceiling of 4")
          .isInstanceOf(Verified.class);
    }
  }

  @Test
  void aStoredHashThatIsNotABcryptHashIsAWrongSecretNotAFailure() {
    // damaged behind Latchkey's back: cost digits a check would take, but not a hash
    var key = w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K")).ref();
    var now = w.clock.instant();
    String lookupId = w.m.importToken(w.system, LegacyToken.of(key.token("bad"), "T", "acct", "tokbad", hashOfCost(4),
        Expiration.after(Duration.ofDays(1)))).lookupId();
    w.m.deleteToken(w.system, key.token("bad"));
    Token token = new Token(key.token("bad"), lookupId, "T", "", Map.of(), now, now.plus(Duration.ofDays(1)),
        TokenStatus.ACTIVE, null, null, null, 1);
    w.memory.insertToken(new TokenRecord(token, new CredentialHash(CredentialHash.BCRYPT, 0, "$2b$04$damaged"),
        null), 100, now);
    assertThat(w.verifier.verify("sat.acct.tokbad.SomeLegacySecret")).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
  }
}
