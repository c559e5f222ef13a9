package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenFormat;
import dev.latchkey.Verified;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testing.World;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Unknown lookup ids live in their own small cache, so a flood of them (an attacker can compute
 * valid checksums for random ids) cannot evict the cached records of valid tokens. Scenario of the
 * security review: 5,000 hot tokens in the default 100,000-entry cache, 200,000 unknown ids within
 * seconds; before the fix every hot token missed afterwards.
 */
class UnknownIdFloodTest {
  private static final int HOT = 5_000;
  private static final int FLOOD = 200_000;

  @Test
  void hotTokensKeepHittingDuringAndAfterAFloodOfUnknownIds() {
    try (World w = new World()) {
      List<String> hot = new ArrayList<>(HOT);
      for (int k = 0; k < HOT / 100; k++) {
        var key = w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "hot" + k, "Hot " + k)).ref();
        for (int i = 0; i < 100; i++) {
          IssuedToken t = w.m.issueToken(w.system, NewToken.of(key, "t" + i, "T" + i));
          hot.add(t.value().reveal());
        }
      }
      for (String t : hot) {
        assertThat(w.verifier.verify(t)).isInstanceOf(Verified.class);
      }
      for (int round = 0; round < 3; round++) { // hot: used more than once
        for (String t : hot) {
          w.verifier.verify(t);
        }
      }

      TokenText codec = new TokenText(TokenFormat.withPrefix("acme"));
      Random random = new Random(42); // ids need not be unpredictable here, only distinct
      String secret = codec.newSecret(new SecureRandom());
      long lookupsBefore = w.store.tokenLookups.get();
      long hotMissesDuringFlood = 0;
      for (int i = 0; i < FLOOD; i++) {
        String id = randomId(random);
        assertThat(w.verifier.verify(codec.encode(PrincipalType.SERVICE_ACCOUNT, id, secret)))
            .isEqualTo(Rejected.of(RejectReason.UNKNOWN));
        if (i % 40 == 0) { // the hot set keeps being used during the flood, one token in 40 calls
          long before = w.store.tokenLookups.get();
          assertThat(w.verifier.verify(hot.get((i / 40) % HOT))).isInstanceOf(Verified.class);
          hotMissesDuringFlood += w.store.tokenLookups.get() - before;
        }
      }
      assertThat(w.store.tokenLookups.get() - lookupsBefore - hotMissesDuringFlood)
          .as("one store lookup per distinct unknown id").isEqualTo(FLOOD);

      long before = w.store.tokenLookups.get();
      for (String t : hot) {
        assertThat(w.verifier.verify(t)).isInstanceOf(Verified.class);
      }
      long hotMissesAfter = w.store.tokenLookups.get() - before;
      System.out.printf("unknown-id flood: %,d unknown ids; hot-token store lookups during %d, after %d (of %,d)%n",
          FLOOD, hotMissesDuringFlood, hotMissesAfter, HOT);
      assertThat(hotMissesDuringFlood).as("hot-token store lookups during the flood").isZero();
      assertThat(hotMissesAfter).as("hot-token store lookups after the flood").isZero();
    }
  }

  private static String randomId(Random random) {
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char[] id = new char[TokenFormat.ID_LENGTH];
    for (int i = 0; i < id.length; i++) {
      id[i] = alphabet.charAt(random.nextInt(62));
    }
    return new String(id);
  }
}
