package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.testing.World;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/**
 * The starvation scenario of the security review, with real bcrypt and a real clock: attackers
 * hammer wrong secrets at known legacy token ids (cost 10) from more threads than there are bcrypt
 * permits, while the holders of other imported tokens (cost 4) present their correct secrets. Before
 * the fix the attackers held both permits nearly all the time and every legitimate check that found
 * no free permit was answered BAD_SECRET. Now each hammered id has a small failure budget, after
 * which its checks stop running for a short backoff, so the permits stay mostly free; a check that
 * gets no permit in time is BUSY (the holder may retry), never BAD_SECRET.
 */
class LegacyStarvationTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int HOLDERS = 20;
  private static final int TARGETS = 8;
  private static final int ATTACKERS = 4;

  private static String bcrypt(String secret, int cost) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", secret.toCharArray(), salt, cost);
  }

  /** Hammers wrong secrets at the given dotted-form prefixes ({@code sat.acct.tok.}) until stopped. */
  private static final class Attack implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong attempts = new AtomicLong();
    final ExecutorService pool = Executors.newFixedThreadPool(ATTACKERS);
    final List<Future<?>> threads = new ArrayList<>();
    final long startNanos = System.nanoTime();
    long stopNanos;

    Attack(World w, List<String> targets) {
      for (int a = 0; a < ATTACKERS; a++) {
        int first = a;
        threads.add(pool.submit(() -> {
          long n = 0;
          while (running.get()) {
            String target = targets.get((int) ((first + n) % targets.size()));
            VerificationResult r = w.verifier.verify(target + "WrongGuess" + first + "x" + n++);
            assertThat(r).isNotInstanceOf(Verified.class);
            attempts.incrementAndGet();
          }
          return null;
        }));
      }
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      stopNanos = System.nanoTime();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      for (Future<?> f : threads) {
        f.get();
      }
    }

    double seconds() {
      return (stopNanos - startNanos) / 1e9;
    }
  }

  @Test
  void legitimateLegacyTokensKeepVerifyingWhileAnAttackerHammersWrongSecrets() throws Exception {
    try (World w = new World(b -> b.acceptLegacyTokens(true).clock(Clock.systemUTC()))) {
      var key = w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "legacy", "Imported")).ref();
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < TARGETS; i++) {
        w.m.importToken(w.system, LegacyToken.of(key.token("target" + i), "Target", "acct", "target" + i,
            bcrypt("TheTargetsRealSecret", 10), Expiration.after(Duration.ofDays(30))));
        targets.add("sat.acct.target" + i + ".");
      }
      List<String> holders = new ArrayList<>();
      for (int i = 0; i < HOLDERS; i++) {
        String secret = "HolderSecret" + i + "x";
        w.m.importToken(w.system, LegacyToken.of(key.token("h" + i), "Holder " + i, "acct", "tok" + i,
            bcrypt(secret, 4), Expiration.after(Duration.ofDays(30))));
        holders.add("sat.acct.tok" + i + "." + secret);
      }

      Map<RejectReason, Integer> holderRejections = new EnumMap<>(RejectReason.class);
      int maxTries = 0;
      Attack attack = new Attack(w, targets);
      try (attack) {
        Thread.sleep(300); // the attack's first burst (every target's failure budget) holds the permits now
        for (String token : holders) {
          VerificationResult r = w.verifier.verify(token);
          int tries = 1;
          while (r instanceof Rejected rejected && tries < 100) {
            holderRejections.merge(rejected.reason(), 1, Integer::sum);
            assertThat(rejected.reason()).as("a correct secret whose check could not run").isEqualTo(RejectReason.BUSY);
            r = w.verifier.verify(token);
            tries++;
          }
          assertThat(r).as("%s verifies during the attack", token.substring(0, 15)).isInstanceOf(Verified.class);
          maxTries = Math.max(maxTries, tries);
        }
      }
      // Every BAD_SECRET is a bcrypt check the attackers caused (the holders never got one). Per target:
      // the budget of 3, then at most one per 1 s backoff.
      long attackerChecks = w.latchkey.stats().rejected(RejectReason.BAD_SECRET);
      long bound = TARGETS * (3 + (long) Math.ceil(attack.seconds()) + 1);
      System.out.printf("starvation: %d attacker attempts in %.1f s caused %d bcrypt checks (bound %d), %d THROTTLED,"
              + " %d BUSY; holders' retries %s, at most %d tries for one holder%n",
          attack.attempts.get(), attack.seconds(), attackerChecks, bound,
          w.latchkey.stats().rejected(RejectReason.THROTTLED), w.latchkey.stats().rejected(RejectReason.BUSY),
          holderRejections, maxTries);
      assertThat(attackerChecks).as("bcrypt checks the attack caused").isLessThanOrEqualTo(bound);
      long holderBusy = holderRejections.getOrDefault(RejectReason.BUSY, 0);
      assertThat(w.latchkey.stats().rejected(RejectReason.THROTTLED) + w.latchkey.stats().rejected(RejectReason.BUSY)
          - holderBusy).as("attack attempts whose check did not run").isPositive();
    }
  }

  @Test
  void theHolderOfAHammeredIdIsRefusedOnlyWhileTheAttackLastsAndNeverAsABadSecret() throws Exception {
    try (World w = new World(b -> b.acceptLegacyTokens(true).clock(Clock.systemUTC()))) {
      var key = w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "legacy", "Imported")).ref();
      String secret = "TheHammeredHoldersSecret";
      w.m.importToken(w.system, LegacyToken.of(key.token("victim"), "Victim", "acct", "victim",
          bcrypt(secret, 4), Expiration.after(Duration.ofDays(30))));
      String token = "sat.acct.victim." + secret;
      Map<RejectReason, Integer> during = new EnumMap<>(RejectReason.class);
      try (Attack attack = new Attack(w, List.of("sat.acct.victim."))) {
        Thread.sleep(200);
        for (int i = 0; i < 10; i++) {
          VerificationResult r = w.verifier.verify(token);
          if (r instanceof Verified) {
            break; // the holder won a check: the token is now on HMAC and out of the attacker's reach
          }
          during.merge(((Rejected) r).reason(), 1, Integer::sum);
          assertThat(((Rejected) r).reason()).isIn(RejectReason.THROTTLED, RejectReason.BUSY);
          Thread.sleep(50);
        }
      }
      long stopped = System.nanoTime();
      VerificationResult r = w.verifier.verify(token);
      while (!(r instanceof Verified)) {
        assertThat(((Rejected) r).reason()).isIn(RejectReason.THROTTLED, RejectReason.BUSY);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).as("at most one backoff after the attack")
            .isLessThan(Duration.ofSeconds(3));
        Thread.sleep(20);
        r = w.verifier.verify(token);
      }
      System.out.printf("hammered holder: refused %s during the attack, verified %d ms after it stopped%n",
          during, Duration.ofNanos(System.nanoTime() - stopped).toMillis());
    }
  }
}
