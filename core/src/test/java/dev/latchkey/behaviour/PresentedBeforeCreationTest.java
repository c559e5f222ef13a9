package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenRef;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/**
 * A lookup id presented before a token with that id exists (so this node holds a negative cache
 * entry for it, or is reading the store for it) verifies as soon as the management call that
 * creates the token returns on this node: an imported legacy token, whose lookup id follows from its
 * legacy ids and so can be presented before its import, and an issued token whose id was presented
 * before (ids are random; here the random source is replayed to craft one). Also while a
 * verification of that id is in flight: its store read began before the token was stored, and its
 * negative entry must not outlive the creating call. Another node learns of a new token only when
 * its negative entry ends (inserts are not in the change feed): at most {@code negativeCacheTtl}.
 */
class PresentedBeforeCreationTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LEGACY_ACCOUNT = "kmpySmUISimoRrJL6NL73w";
  private static final String LEGACY_SECRET = "Zx8PqL2mVt9RrB4kWn7yHs";
  private static final String LEGACY = "sat." + LEGACY_ACCOUNT + ".63f1c0a9e2b." + LEGACY_SECRET;

  private static LegacyToken legacy(TokenRef ref) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return LegacyToken.of(ref, "Imported", LEGACY_ACCOUNT, "63f1c0a9e2b",
        OpenBSDBCrypt.generate("2b", LEGACY_SECRET.toCharArray(), salt, 4), Expiration.after(Duration.ofDays(30)));
  }

  private static TokenRef legacyKey(World w) {
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "legacy", "Imported"));
    return w.ci.ref().apiKey("legacy").token("old");
  }

  private static UnaryOperator<Latchkey.Builder> legacyOn(UnaryOperator<Latchkey.Builder> more) {
    // three bcrypt permits: three threads presenting one legacy id never wait for one (no BUSY)
    return b -> more.apply(b.acceptLegacyTokens(true).maxConcurrentBcrypt(3));
  }

  /** Presents {@code value} twice: UNKNOWN, the second time from the negative entry (no store read). */
  private static void presentUnknown(World w, String value) {
    assertThat(w.verifier.verify(value)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
    long lookups = w.store.tokenLookups.get();
    assertThat(w.verifier.verify(value)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
    assertThat(w.store.tokenLookups.get()).as("answered from the negative entry").isEqualTo(lookups);
  }

  @Test
  void aLegacyTokenPresentedBeforeItsImportVerifiesRightAfterIt() {
    try (World w = new World(legacyOn(b -> b))) {
      TokenRef ref = legacyKey(w);
      presentUnknown(w, LEGACY);
      w.m.importToken(w.system, legacy(ref));
      VerificationResult r = w.verifier.verify(LEGACY);
      assertThat(r).as("right after the import").isInstanceOf(Verified.class);
      assertThat(((Verified) r).token()).isEqualTo(ref);
    }
  }

  @Test
  void aTokenIssuedUnderAnIdPresentedBeforeVerifiesRightAfterItsIssue() {
    ReplayableRandom random = new ReplayableRandom();
    try (World w = new World(b -> b.random(random))) {
      Rewound rewound = rewound(w, random);
      String crafted = rewound.value();
      presentUnknown(w, crafted);

      random.replay();
      IssuedToken second = rewound.issueAgain();
      VerificationResult r = w.verifier.verify(crafted);
      assertThat(r).as("right after the issue").isInstanceOf(Verified.class);
      assertThat(((Verified) r).token()).isEqualTo(second.token().ref());
    }
  }

  @Test
  void aVerificationInFlightDuringAnImportCannotLeaveANegativeEntryBehindIt() throws Exception {
    PausingStore store = new PausingStore(new SimpleTokenStore());
    try (World w = new World(store, legacyOn(b -> b))) {
      TokenRef ref = legacyKey(w);
      raceCreationWithAnInFlightMiss(w, store, LEGACY, () -> w.m.importToken(w.system, legacy(ref)));
    }
  }

  @Test
  void aVerificationInFlightDuringAnIssueCannotLeaveANegativeEntryBehindIt() throws Exception {
    ReplayableRandom random = new ReplayableRandom();
    PausingStore store = new PausingStore(new SimpleTokenStore());
    try (World w = new World(store, b -> b.random(random))) {
      Rewound rewound = rewound(w, random);
      random.replay();
      raceCreationWithAnInFlightMiss(w, store, rewound.value(), rewound::issueAgain);
    }
  }

  @Test
  void aMissWhileAnImportIsStoringTheTokenCannotLeaveANegativeEntryBehindIt() throws Exception {
    PausingStore store = new PausingStore(new SimpleTokenStore());
    try (World w = new World(store, legacyOn(b -> b))) {
      TokenRef ref = legacyKey(w);
      missWhileTheTokenIsBeingStored(w, store, LEGACY, () -> w.m.importToken(w.system, legacy(ref)));
    }
  }

  @Test
  void aMissWhileAnIssueIsStoringTheTokenCannotLeaveANegativeEntryBehindIt() throws Exception {
    ReplayableRandom random = new ReplayableRandom();
    PausingStore store = new PausingStore(new SimpleTokenStore());
    try (World w = new World(store, b -> b.random(random))) {
      Rewound rewound = rewound(w, random);
      random.replay();
      missWhileTheTokenIsBeingStored(w, store, rewound.value(), rewound::issueAgain);
    }
  }

  /**
   * {@code create} is held just before its store write; meanwhile a verification of {@code
   * presented} misses, finds nothing in the store and files the id as unknown. Once {@code create}
   * has returned, the token must verify on this node: the invalidation must come after the write.
   */
  private static void missWhileTheTokenIsBeingStored(World w, PausingStore store, String presented, Runnable create)
      throws Exception {
    store.pauseNextInsert();
    List<Throwable> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread creator = new Thread(() -> {
      try {
        create.run();
      } catch (Throwable t) {
        failed.add(t);
      }
    }, "creator");
    creator.start();
    assertThat(store.insertStarted.await(10, TimeUnit.SECONDS)).as("the creation reached its store write").isTrue();
    assertThat(w.verifier.verify(presented)).as("while the token is not stored yet")
        .isEqualTo(Rejected.of(RejectReason.UNKNOWN));
    store.releaseInsert.countDown();
    creator.join(10_000);
    assertThat(creator.isAlive()).isFalse();
    assertThat(failed).isEmpty();
    assertThat(w.verifier.verify(presented)).as("after the creating call returned").isInstanceOf(Verified.class);
  }

  /**
   * A verification of {@code presented} reads the store (nothing there yet) and is held before it
   * files the id as unknown; meanwhile {@code create} stores the token and returns or, as it should,
   * waits for that load in its invalidation. Then the load goes on. Once {@code create} has returned,
   * the token must verify on this node: the in-flight miss's negative entry must not survive it.
   */
  private static void raceCreationWithAnInFlightMiss(World w, PausingStore store, String presented, Runnable create)
      throws Exception {
    store.pauseNextLookup();
    List<VerificationResult> inFlight = new ArrayList<>();
    Thread verifier = new Thread(() -> inFlight.add(w.verifier.verify(presented)), "in-flight-miss");
    verifier.start();
    assertThat(store.lookupDone.await(10, TimeUnit.SECONDS)).as("the miss read the store").isTrue();
    List<Throwable> failed = new ArrayList<>();
    Thread creator = new Thread(() -> {
      try {
        create.run();
      } catch (Throwable t) {
        failed.add(t);
      }
    }, "creator");
    creator.start();
    // the token stored (not waited for long: a creation that invalidated first would block before it)
    store.inserted.await(2, TimeUnit.SECONDS);
    // until the creation has returned or is blocked (waiting for the load in its invalidation)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (creator.getState() != Thread.State.TERMINATED && creator.getState() != Thread.State.BLOCKED
        && creator.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    store.release.countDown();
    verifier.join(10_000);
    creator.join(10_000);
    assertThat(failed).isEmpty();
    assertThat(creator.isAlive()).isFalse();
    assertThat(inFlight).as("the in-flight miss started before the token existed")
        .containsExactly(Rejected.of(RejectReason.UNKNOWN));
    assertThat(w.verifier.verify(presented)).as("after the creating call returned").isInstanceOf(Verified.class);
  }

  @Test
  void manyPresentationsRacingAnImportNeverAnswerUnknownOnceItReturned() throws Exception {
    // a negative TTL of 50 ms and a clock every presentation moves by 1 ms: presentations keep
    // missing and reading the store, so loads are in flight while the import stores the token and
    // invalidates, and a negative entry left behind would answer presentations for up to 50 ms more
    for (int round = 0; round < 20; round++) {
      try (World w = new World(legacyOn(b -> b.negativeCacheTtl(Duration.ofMillis(50))
          .stalenessBound(Duration.ofHours(1))))) {
        TokenRef ref = legacyKey(w);
        LegacyToken token = legacy(ref);
        assertAllVerifyOnceCreated(w, LEGACY, 3, () -> w.m.importToken(w.system, token));
      }
    }
  }

  @Test
  void manyPresentationsRacingAnIssueNeverAnswerUnknownOnceItReturned() throws Exception {
    for (int round = 0; round < 20; round++) {
      ReplayableRandom random = new ReplayableRandom();
      try (World w = new World(b -> b.random(random).negativeCacheTtl(Duration.ofMillis(50))
          .stalenessBound(Duration.ofHours(1)))) {
        Rewound rewound = rewound(w, random);
        random.replay();
        assertAllVerifyOnceCreated(w, rewound.value(), 4, rewound::issueAgain);
      }
    }
  }

  /** A key's token issued, recorded and deleted: its value, and its issue again (after {@code random.replay()}). */
  private record Rewound(String value, java.util.function.Supplier<IssuedToken> again) {
    IssuedToken issueAgain() {
      IssuedToken second = again.get();
      assertThat(second.value().reveal()).as("the crafted id and secret").isEqualTo(value);
      return second;
    }
  }

  /** Creates key "k" and a token under it with {@code random} recording, then deletes the token. */
  private static Rewound rewound(World w, ReplayableRandom random) {
    var key = w.ci.ref().apiKey("k");
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    random.record();
    IssuedToken first = w.m.issueToken(w.system, NewToken.of(key, "first", "First"));
    random.stopRecording();
    w.m.deleteToken(w.system, first.token().ref());
    return new Rewound(first.value().reveal(), () -> w.m.issueToken(w.system, NewToken.of(key, "second", "Second")));
  }

  /**
   * {@code threads} threads present {@code presented} in a loop, each moving the clock by 1 ms per
   * presentation, while this thread runs {@code create}. Every presentation begun after {@code
   * create} returned must verify; before, UNKNOWN is the only other answer.
   */
  private static void assertAllVerifyOnceCreated(World w, String presented, int threads, Runnable create)
      throws Exception {
    AtomicBoolean created = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch missesSeen = new CountDownLatch(threads * 20);
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    int[] afterCreation = new int[threads];
    List<Thread> presenters = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int id = i;
      Thread t = new Thread(() -> {
        int verifiedAfter = 0;
        while (!stop.get() || verifiedAfter < 20) {
          boolean begunAfter = created.get();
          VerificationResult r = w.verifier.verify(presented);
          w.clock.advance(Duration.ofMillis(1));
          if (begunAfter) {
            if (r instanceof Verified) {
              verifiedAfter++;
            } else {
              wrong.add(r.toString());
              return;
            }
          } else if (!(r instanceof Verified) && !r.equals(Rejected.of(RejectReason.UNKNOWN))) {
            wrong.add("before the creation returned: " + r);
            return;
          } else {
            missesSeen.countDown();
          }
        }
        afterCreation[id] = verifiedAfter;
      }, "presenter-" + i);
      presenters.add(t);
      t.start();
    }
    assertThat(missesSeen.await(10, TimeUnit.SECONDS)).as("presentations before the creation").isTrue();
    create.run();
    created.set(true);
    stop.set(true);
    for (Thread t : presenters) {
      t.join(20_000);
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(wrong).as("answers to presentations begun after the creation returned").isEmpty();
    assertThat(java.util.Arrays.stream(afterCreation).min().orElseThrow()).as("verified by each presenter after the creation")
        .isGreaterThanOrEqualTo(20);
  }

  @Test
  void anotherNodeVerifiesAnImportedTokenPresentedThereBeforeWithinTheNegativeTtl() {
    SimpleTokenStore shared = new SimpleTokenStore();
    try (World a = new World(shared, legacyOn(builder -> builder.negativeCacheTtl(Duration.ofSeconds(5))));
        Latchkey b = Latchkey.builder().store(shared).peppers(World.PEPPERS).tokenPrefix("acme").clock(a.clock)
            .acceptLegacyTokens(true).negativeCacheTtl(Duration.ofSeconds(5)).build()) {
      TokenRef ref = legacyKey(a);
      assertThat(b.verifier().verify(LEGACY)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      a.m.importToken(a.system, legacy(ref));
      assertThat(a.verifier.verify(LEGACY)).as("on the importing node at once").isInstanceOf(Verified.class);
      // the other node may answer UNKNOWN from its negative entry until the negative TTL ends
      // (README, limits: inserts are not in the change feed); not later
      a.clock.advance(Duration.ofSeconds(5));
      assertThat(b.verifier().verify(LEGACY)).as("on the other node at the negative TTL").isInstanceOf(Verified.class);
    }
  }

  /**
   * A store that, once armed, holds the next token lookup after reading the store (which has
   * nothing yet) until released, so that a verification's miss is in flight at a chosen moment, and
   * says when a token was inserted after that; or holds the next token insert before the write.
   */
  static final class PausingStore extends ForwardingTokenStore {
    private final AtomicBoolean armed = new AtomicBoolean();
    final CountDownLatch lookupDone = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch inserted = new CountDownLatch(1);

    PausingStore(SimpleTokenStore delegate) {
      super(delegate);
    }

    private final AtomicBoolean insertArmed = new AtomicBoolean();
    final CountDownLatch insertStarted = new CountDownLatch(1);
    final CountDownLatch releaseInsert = new CountDownLatch(1);

    void pauseNextLookup() {
      armed.set(true);
    }

    /** Holds the next token insert before it reaches the store, until {@link #releaseInsert}. */
    void pauseNextInsert() {
      insertArmed.set(true);
    }

    @Override
    public void insertToken(TokenRecord t, int max, java.time.Instant now) {
      if (insertArmed.compareAndSet(true, false)) {
        insertStarted.countDown();
        try {
          if (!releaseInsert.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.insertToken(t, max, now);
      if (lookupDone.getCount() == 0) {
        inserted.countDown();
      }
    }

    @Override
    public Optional<TokenRecord> findTokenByLookupId(String id) {
      Optional<TokenRecord> found = delegate.findTokenByLookupId(id);
      if (armed.compareAndSet(true, false)) {
        lookupDone.countDown();
        try {
          if (!release.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return found;
    }
  }

  /**
   * A random source whose output between {@link #record} and {@link #stopRecording} is replayed,
   * call for call, after {@link #replay}: a token issued in between and one issued after the replay
   * get the same lookup id and secret. Otherwise it is an ordinary {@code SecureRandom}.
   */
  static final class ReplayableRandom extends SecureRandom {
    private final SecureRandom real = new SecureRandom();
    private ArrayDeque<Byte> recorded;
    private ArrayDeque<Byte> replaying;

    synchronized void record() {
      recorded = new ArrayDeque<>();
    }

    private ArrayDeque<Byte> kept;

    synchronized void stopRecording() {
      kept = recorded;
      recorded = null;
    }

    synchronized void replay() {
      replaying = kept;
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (replaying != null && !replaying.isEmpty()) {
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = replaying.isEmpty() ? (byte) real.nextInt() : replaying.poll();
        }
        return;
      }
      real.nextBytes(bytes);
      if (recorded != null) {
        for (byte b : bytes) {
          recorded.add(b);
        }
      }
    }
  }
}
