package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.NewToken;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.TokenFormat;
import dev.latchkey.VerificationResult;
import dev.latchkey.testing.SecretMatcher;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.LogCapture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs the verifier must answer "invalid" for: never an exception, never a store access for a
 * malformed token, never a log line containing the presented value.
 */
class VerifierBadInputTest {
  private final World w = new World();
  private final IssuedToken good = w.token(w.ci.ref(), "k", "t");
  private final String value = good.value().reveal();

  @AfterEach
  void close() {
    w.close();
  }

  private static String replaceAt(String s, int i, String with) {
    return s.substring(0, i) + with + s.substring(i + 1);
  }

  private Map<String, String> malformed() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("empty", "");
    m.put("whitespace", "   \t\n");
    m.put("1 MB", "a".repeat(1 << 20));
    m.put("1 MB token-like", value + "x".repeat(1 << 20));
    m.put("wrong prefix", "acmf" + value.substring(4));
    m.put("upper-cased prefix", "ACME" + value.substring(4));
    m.put("doubled prefix", "acme_" + value);
    m.put("upper-cased whole token", value.toUpperCase(java.util.Locale.ROOT));
    m.put("unknown kind", value.replace("_sat_", "_tat_"));
    m.put("kind of the other type", value.replace("_sat_", "_pat_"));
    m.put("truncated by one", value.substring(0, value.length() - 1));
    m.put("extended by one", value + "0");
    m.put("bad checksum", replaceAt(value, value.length() - 1, value.endsWith("0") ? "1" : "0"));
    m.put("secret changed", replaceAt(value, 40, value.charAt(40) == 'a' ? "b" : "a"));
    m.put("non-ASCII", replaceAt(value, 30, "é"));
    m.put("homoglyph (Cyrillic a)", value.replace('a', '\u0430'));
    m.put("zero-width space", value.substring(0, 30) + "\u200b" + value.substring(30, value.length() - 1));
    m.put("NUL", replaceAt(value, 30, "\u0000"));
    m.put("extra separator", "acme__sat" + value.substring(8, value.length() - 1));
    m.put("leading space", " " + value.substring(0, value.length() - 1));
    m.put("trailing newline", value.substring(1) + "\n");
    m.put("Bearer prefix left in", "Bearer " + value);
    m.put("stored hash presented", w.memory.findToken(good.ref()).orElseThrow().current().encoded());
    m.put("lookup id alone", good.token().lookupId());
    return m;
  }

  @Test
  void malformedInputIsRejectedWithoutTouchingTheStoreOrTheLogs() {
    Map<String, String> inputs = malformed();
    try (LogCapture logs = new LogCapture()) {
      long callsBefore = w.store.calls.get();
      assertThat(w.verifier.verify((CharSequence) null)).isEqualTo(Rejected.of(RejectReason.MALFORMED));
      for (Map.Entry<String, String> e : inputs.entrySet()) {
        VerificationResult r = w.verifier.verify(e.getValue());
        assertThat(r).as(e.getKey()).isEqualTo(Rejected.of(RejectReason.MALFORMED));
      }
      assertThat(w.store.calls.get()).as("store calls for malformed input").isEqualTo(callsBefore);
      String log = logs.all();
      for (Map.Entry<String, String> e : inputs.entrySet()) {
        String v = e.getValue().strip();
        if (v.length() >= 16) {
          assertThat(log).as(e.getKey()).doesNotContain(v.substring(0, Math.min(v.length(), 80)));
        }
      }
    }
    assertThat(w.verifier.verify(value)).as("the good token still verifies").isInstanceOf(dev.latchkey.Verified.class);
  }

  @Test
  void wellFormedButInvalidTokensAreRejectedUniformly() {
    TokenText codec = new TokenText(TokenFormat.withPrefix("acme"));
    SecureRandom random = new SecureRandom();
    String unknownId = codec.encode(PrincipalType.SERVICE_ACCOUNT, codec.newLookupId(random), codec.newSecret(random));
    String wrongSecret = codec.encode(PrincipalType.SERVICE_ACCOUNT, good.token().lookupId(), codec.newSecret(random));
    String wrongKind = codec.encode(PrincipalType.USER, good.token().lookupId(),
        value.substring(codec.secretStart(), codec.secretStart() + TokenFormat.SECRET_LENGTH));

    IssuedToken expiring = w.m.issueToken(w.system, NewToken.of(good.ref().apiKey(), "exp", "Exp")
        .expiring(dev.latchkey.Expiration.after(Duration.ofHours(1))));
    IssuedToken deleted = w.token(w.ci.ref(), "k", "del");
    IssuedToken rotated = w.token(w.ci.ref(), "k", "rot");
    IssuedToken ofDeletedKey = w.token(w.ci.ref(), "gone", "t");
    IssuedToken ofDisabled = w.token(w.bob.ref(), "k", "t");
    for (IssuedToken t : List.of(expiring, deleted, rotated, ofDeletedKey, ofDisabled)) {
      assertThat(w.verifier.verify(t.value())).isInstanceOf(dev.latchkey.Verified.class); // cache them first
    }
    w.m.deleteToken(w.system, deleted.ref());
    w.m.rotateToken(w.system, rotated.ref(), Rotation.withGrace(Duration.ofMinutes(5)));
    w.m.deleteApiKey(w.system, ofDeletedKey.ref().apiKey());
    w.m.setEnabled(w.system, w.bob.ref(), false);

    Map<String, VerificationResult> results = new LinkedHashMap<>();
    List<String> presented = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      results.put("unknown id, valid checksum", verify(unknownId, presented));
      results.put("wrong secret", verify(wrongSecret, presented));
      results.put("kind does not match owner", verify(wrongKind, presented));
      results.put("deleted token", verify(deleted.value().reveal(), presented));
      results.put("token of a deleted key", verify(ofDeletedKey.value().reveal(), presented));
      results.put("disabled principal", verify(ofDisabled.value().reveal(), presented));
      w.clock.set(java.util.Objects.requireNonNull(expiring.token().expiresAt()).minusMillis(1));
      assertThat(w.verifier.verify(expiring.value())).as("a millisecond before expiry").isInstanceOf(dev.latchkey.Verified.class);
      w.clock.set(java.util.Objects.requireNonNull(expiring.token().expiresAt()));
      results.put("exactly at expiry", verify(expiring.value().reveal(), presented));
      w.clock.advance(Duration.ofMinutes(5)); // grace of the rotated token ends (it began 1 h earlier)
      results.put("rotated past grace", verify(rotated.value().reveal(), presented));
      SecretMatcher secrets = new SecretMatcher();
      presented.forEach(secrets::token);
      secrets.assertNoneIn("log lines", logs.lines());
    }
    assertThat(results).containsExactly(
        Map.entry("unknown id, valid checksum", Rejected.of(RejectReason.UNKNOWN)),
        Map.entry("wrong secret", Rejected.of(RejectReason.BAD_SECRET)),
        Map.entry("kind does not match owner", Rejected.of(RejectReason.UNKNOWN)),
        Map.entry("deleted token", Rejected.of(RejectReason.UNKNOWN)),
        Map.entry("token of a deleted key", Rejected.of(RejectReason.UNKNOWN)),
        Map.entry("disabled principal", Rejected.of(RejectReason.DISABLED)),
        Map.entry("exactly at expiry", Rejected.of(RejectReason.EXPIRED)),
        Map.entry("rotated past grace", Rejected.of(RejectReason.BAD_SECRET)));
    assertThat(results.values()).allSatisfy(r -> assertThat(r.isValid()).isFalse());
  }

  private VerificationResult verify(String token, List<String> presented) {
    presented.add(token);
    return w.verifier.verify(token);
  }

  @Test
  void aStoreOutageFailsClosedAndIsNeverCached() {
    IssuedToken fresh = w.token(w.ci.ref(), "k", "fresh");
    w.store.failing = true;
    try {
      assertThat(w.verifier.verify(fresh.value())).isEqualTo(Rejected.of(RejectReason.STORE_ERROR));
      assertThat(w.verifier.verify(fresh.value())).isEqualTo(Rejected.of(RejectReason.STORE_ERROR));
    } finally {
      w.store.failing = false;
    }
    assertThat(w.verifier.verify(fresh.value())).as("the error was not cached").isInstanceOf(dev.latchkey.Verified.class);
    assertThat(w.latchkey.stats().storeErrors()).isEqualTo(2);
    assertThat(w.latchkey.stats().rejected(RejectReason.STORE_ERROR)).isEqualTo(2);
  }
}
