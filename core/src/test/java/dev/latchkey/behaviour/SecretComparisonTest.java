package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenRef;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every character of a secret matters, on every path that compares one: a secret that differs from
 * the real one in exactly one position, in any of its 43 positions and by any of the 61 other
 * base62 characters, with the checksum recomputed so that it passes parsing, is rejected with
 * {@link RejectReason#BAD_SECRET}:
 *
 * <ul>
 *   <li>before the token ever verified on this node: the HMAC of the presented secret is compared
 *       with the stored digest ({@code SecretHasher});
 *   <li>after a first successful verification: the cached fast-path tag is compared first ({@code
 *       FastSecretCheck}), then the HMAC;
 *   <li>during a rotation's grace period, for variants of the previous and of the current secret,
 *       before and after both verified: the previous secret's digest is compared too.
 * </ul>
 *
 * and the exact token still verifies afterwards.
 *
 * <p>Why exhaustive: a comparison that looks at only one byte of the 32-byte digest or tag accepts
 * a wrong secret with probability 1/256; 43 × 61 = 2623 variants per token and path make such a
 * comparison fail this test with near certainty (the chance of it passing is below 10^-4 per
 * path and token), and one that accepts anything fails on the first variant. A comparison that
 * skips only a few of the 32 bytes cannot be caught by any behavioural test (it would take a
 * second preimage); {@code bytecode.ConstantTimeScanTest} is the lint for how they are compared.
 *
 * <p>The injected clock stands still and the staleness bound is an hour, so nothing is invalidated
 * or aged out during a test: a token verified once keeps its fast-path tag.
 */
class SecretComparisonTest {
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final TokenText CODEC = new TokenText(TokenFormat.withPrefix("acme"));

  private final World w = new World(b -> b.stalenessBound(Duration.ofHours(1)));

  @AfterEach
  void close() {
    w.close();
  }

  /** Every single-character variant of a token's secret, each with a valid checksum. */
  static List<String> oneCharacterVariants(String token) {
    String lookupId = token.substring(CODEC.idStart(), CODEC.idEnd());
    String secret = token.substring(CODEC.secretStart(), CODEC.secretStart() + TokenFormat.SECRET_LENGTH);
    PrincipalType type = token.startsWith("acme_pat_") ? PrincipalType.USER : PrincipalType.SERVICE_ACCOUNT;
    List<String> variants = new ArrayList<>(TokenFormat.SECRET_LENGTH * (BASE62.length() - 1));
    for (int i = 0; i < TokenFormat.SECRET_LENGTH; i++) {
      for (int c = 0; c < BASE62.length(); c++) {
        char replacement = BASE62.charAt(c);
        if (replacement != secret.charAt(i)) {
          String changed = secret.substring(0, i) + replacement + secret.substring(i + 1);
          variants.add(CODEC.encode(type, lookupId, changed));
        }
      }
    }
    return variants;
  }

  /** Presents every variant; each must be rejected as a bad secret. */
  private void allRejected(String what, String token) {
    List<String> variants = oneCharacterVariants(token);
    assertThat(variants).hasSize(TokenFormat.SECRET_LENGTH * 61);
    String secret = token.substring(CODEC.secretStart(), CODEC.secretStart() + TokenFormat.SECRET_LENGTH);
    List<String> accepted = new ArrayList<>();
    for (String v : variants) {
      assertThat(v).isNotEqualTo(token);
      VerificationResult r = w.verifier.verify(v);
      if (!r.equals(Rejected.of(RejectReason.BAD_SECRET))) {
        String changed = v.substring(CODEC.secretStart(), CODEC.secretStart() + TokenFormat.SECRET_LENGTH);
        int position = 0;
        while (changed.charAt(position) == secret.charAt(position)) {
          position++;
        }
        accepted.add("position " + position + " -> " + changed.charAt(position) + ": " + r);
      }
    }
    assertThat(accepted).as("%s: secrets one character off that were not rejected as BAD_SECRET", what).isEmpty();
  }

  private void verifies(String token, TokenRef expected) {
    VerificationResult r = w.verifier.verify(token);
    assertThat(r).isInstanceOf(Verified.class);
    assertThat(((Verified) r).token()).isEqualTo(expected);
  }

  @Test
  void everyPositionMattersOnTheHmacPathAndOnTheCachedPath() {
    for (IssuedToken t : List.of(w.token(w.ci.ref(), "k", "sat"), w.token(w.alice.ref(), "k", "pat"))) {
      String token = t.value().reveal();
      allRejected(t.ref() + " before any successful verification (HMAC)", token);
      verifies(token, t.ref()); // the first success: the fast-path tag is cached from here on
      long hits = w.latchkey.stats().cacheHits();
      allRejected(t.ref() + " after a successful verification (cached tag, then HMAC)", token);
      assertThat(w.latchkey.stats().cacheHits() - hits).as("variants checked against the cached entry")
          .isEqualTo(TokenFormat.SECRET_LENGTH * 61L);
      verifies(token, t.ref());
    }
  }

  @Test
  void everyPositionMattersForThePreviousSecretInItsGracePeriod() {
    IssuedToken before = w.token(w.ci.ref(), "k", "rotated");
    IssuedToken after = w.m.rotateToken(w.system, before.ref(), Rotation.withGrace(Duration.ofDays(1)));
    String previous = before.value().reveal();
    String current = after.value().reveal();

    // nothing verified since the rotation: current and previous are both compared by HMAC
    allRejected("variants of the previous secret, before any success", previous);
    allRejected("variants of the current secret, before any success", current);

    verifies(previous, before.ref());
    verifies(current, after.ref()); // the current secret's tag is cached from here on
    allRejected("variants of the previous secret, after both verified", previous);
    allRejected("variants of the current secret, after both verified", current);
    verifies(previous, before.ref());
    verifies(current, after.ref());
  }

  @Test
  void theVariantsAreWhatTheyClaim() {
    String token = w.token(w.ci.ref(), "k", "t").value().reveal();
    List<String> variants = oneCharacterVariants(token);
    int secretStart = CODEC.secretStart();
    boolean[] positionCovered = new boolean[TokenFormat.SECRET_LENGTH];
    for (String v : variants) {
      assertThat(v).hasSameSizeAs(token).startsWith(token.substring(0, secretStart));
      int differing = 0;
      for (int i = 0; i < TokenFormat.SECRET_LENGTH; i++) {
        if (v.charAt(secretStart + i) != token.charAt(secretStart + i)) {
          differing++;
          positionCovered[i] = true;
        }
      }
      assertThat(differing).isEqualTo(1);
      assertThat(w.verifier.verify(v)).as("parses (valid checksum), so it reaches the secret check")
          .isNotEqualTo(Rejected.of(RejectReason.MALFORMED));
    }
    assertThat(positionCovered).containsOnly(true);
    assertThat(variants).doesNotHaveDuplicates();
  }
}
