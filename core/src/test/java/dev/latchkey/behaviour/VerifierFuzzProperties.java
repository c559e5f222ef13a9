package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenRef;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testing.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Fuzzing the verifier (jqwik): arbitrary strings, and byte-level mutations of valid tokens, in the
 * native format and in the legacy dotted form, never make {@code verify} throw and are never
 * accepted, unless the mutation happens to give back a valid token (then it must be accepted as
 * exactly that token). Strings of the wrong length never reach the store.
 *
 * <p>Well-formed tokens whose secret differs from the real one in any set of positions are rejected
 * as {@link RejectReason#BAD_SECRET} on both secret-checking paths: for tokens that never verified on
 * this node (HMAC against the stored digest only) and for tokens that did (the cached fast-path tag
 * first), including the previous secret of a token rotated with a grace period. The verifier's
 * staleness bound is an hour and its clock stands still, so nothing drops a cached tag during a
 * property. {@link SecretComparisonTest} covers every single-position change exhaustively.
 *
 * <p>The legacy secrets here are at most 72 characters: longer ones are compared on their first 72
 * only (bcrypt), a known bug reproduced by {@link LegacyBcryptTruncationTest}.
 */
class VerifierFuzzProperties {
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String LEGACY_CHARS = BASE62 + "_-";
  private static final String LEGACY_ACCOUNT = "kmpySmUISimoRrJL6NL73w";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TokenText CODEC = new TokenText(TokenFormat.withPrefix("acme"));

  private final World w = new World(b -> b.acceptLegacyTokens(true).stalenessBound(Duration.ofHours(1)));
  /** Every value that verifies, with the token it must verify as. */
  private final Map<String, TokenRef> valid = new LinkedHashMap<>();
  private final List<String> nativeTokens;
  private final List<String> legacyTokens;
  /** A sat, a pat, and a previous and a current secret of one rotated token: never verified on this node. */
  private final List<String> coldTokens;
  /** The same four kinds, each verified once, so that later checks use the cached fast-path tag. */
  private final List<String> warmTokens;
  /** The legacy value still on bcrypt: see {@link #check}. */
  private final String bcryptValue;

  VerifierFuzzProperties() throws InterruptedException {
    IssuedToken sat = w.token(w.ci.ref(), "k", "sat");
    IssuedToken pat = w.token(w.alice.ref(), "k", "pat");
    IssuedToken before = w.token(w.ci.ref(), "k", "rotated");
    IssuedToken after = w.m.rotateToken(w.system, before.ref(), Rotation.withGrace(Duration.ofDays(1)));
    for (IssuedToken t : List.of(sat, pat, before, after)) {
      valid.put(t.value().reveal(), t.ref());
    }
    nativeTokens = List.of(sat.value().reveal(), pat.value().reveal(), before.value().reveal(), after.value().reveal());

    // legacy: one upgraded to HMAC by its first use, one left on bcrypt (its real value is never shown)
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "legacy", "Imported"));
    w.m.createApiKey(w.system, NewApiKey.of(w.alice.ref(), "legacy", "Imported"));
    String upgradedSecret = "Zx8PqL2mVt9RrB4kWn7yHs-legacy_1";
    String bcryptSecret = "Pp4-QwErTy_uIoP9aSdFgHjKl";
    TokenRef upgraded = importLegacy(w.ci.ref().apiKey("legacy").token("up"), "tokup", upgradedSecret);
    TokenRef onBcrypt = importLegacy(w.alice.ref().apiKey("legacy").token("bc"), "tokbc", bcryptSecret);
    String upgradedValue = "sat." + LEGACY_ACCOUNT + ".tokup." + upgradedSecret;
    bcryptValue = "pat." + LEGACY_ACCOUNT + ".tokbc." + bcryptSecret;
    assertThat(w.verifier.verify(upgradedValue)).isInstanceOf(Verified.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!w.memory.findToken(upgraded).orElseThrow().current().scheme().equals(CredentialHash.HMAC_SHA256)) {
      assertThat(System.nanoTime()).as("upgrade of the imported hash").isLessThan(deadline);
      Thread.sleep(5);
    }
    valid.put(upgradedValue, upgraded);
    valid.put(bcryptValue, onBcrypt);
    legacyTokens = List.of(upgradedValue, bcryptValue);

    coldTokens = fourKinds("cold");
    warmTokens = fourKinds("warm");
    w.latchkey.pollChanges(); // apply the rotations' feed entries now, before any tag is cached
    for (String t : warmTokens) {
      assertThat(w.verifier.verify(t)).isInstanceOf(Verified.class);
    }
  }

  /** A sat, a pat, and the previous and current values of a token rotated with a day's grace. */
  private List<String> fourKinds(String key) {
    IssuedToken sat = w.token(w.ci.ref(), key, "sat");
    IssuedToken pat = w.token(w.alice.ref(), key, "pat");
    IssuedToken previous = w.token(w.ci.ref(), key, "rotated");
    IssuedToken current = w.m.rotateToken(w.system, previous.ref(), Rotation.withGrace(Duration.ofDays(1)));
    List<String> values = List.of(sat.value().reveal(), pat.value().reveal(), previous.value().reveal(),
        current.value().reveal());
    List<TokenRef> refs = List.of(sat.ref(), pat.ref(), previous.ref(), current.ref());
    for (int i = 0; i < values.size(); i++) {
      valid.put(values.get(i), refs.get(i));
    }
    return values;
  }

  private TokenRef importLegacy(TokenRef ref, String legacyTokenId, String secret) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    w.m.importToken(w.system, LegacyToken.of(ref, "Imported", LEGACY_ACCOUNT, legacyTokenId,
        OpenBSDBCrypt.generate("2b", secret.toCharArray(), salt, 4), Expiration.after(Duration.ofDays(30))));
    return ref;
  }

  @AfterProperty
  void close() {
    w.close();
  }

  /** Verifies; must not throw; must accept exactly the valid values, as their own tokens. */
  private VerificationResult check(String presented) {
    VerificationResult r = w.verifier.verify(presented);
    assertThat(r).isNotNull();
    TokenRef expected = valid.get(presented);
    if (expected == null) {
      assertThat(r).as("verify(%s)", printable(presented)).isInstanceOf(Rejected.class);
    } else if (presented.equals(bcryptValue) && r instanceof Rejected rejected) {
      // The fuzzer's wrong guesses at this id use up its bcrypt failure budget, and the clock does not
      // move, so the valid value may be refused unchecked (THROTTLED, or BUSY): the documented per-id
      // backoff. Never as a bad secret.
      assertThat(rejected.reason()).isIn(RejectReason.THROTTLED, RejectReason.BUSY);
    } else {
      assertThat(r).isInstanceOf(Verified.class);
      assertThat(((Verified) r).token()).isEqualTo(expected);
    }
    return r;
  }

  private static String printable(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "...(" + s.length() + " chars)" : s;
    StringBuilder sb = new StringBuilder();
    shown.codePoints().forEach(c -> {
      if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04x", c));
      } else {
        sb.append((char) c);
      }
    });
    return sb.toString();
  }

  // ---- arbitrary strings

  @Provide
  Arbitrary<String> anyStrings() {
    int length = CODEC.length();
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),                                  // any UTF-16, incl. lone surrogates
        Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(100),         // control characters
        Arbitraries.strings().ascii().ofLength(length),                               // exactly the token length
        Arbitraries.strings().withChars(BASE62 + "_").ofLength(length),               // token alphabet, token length
        Arbitraries.strings().withChars(BASE62).ofLength(length - 9).map(s -> "acme_sat_" + s.substring(0, 16) + "_"
            + s.substring(17)),                                                        // token shape, random body
        Arbitraries.strings().withChars(LEGACY_CHARS + ".").ofMinLength(10).ofMaxLength(330)
            .map(s -> (s.length() % 2 == 0 ? "sat." : "pat.") + s),                     // legacy-like
        Arbitraries.integers().between(1 << 16, 1 << 20).flatMap(n ->                  // huge
            Arbitraries.chars().map(c -> String.valueOf(c).repeat(n))),
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8).flatMap(s ->         // huge, token-like start
            Arbitraries.integers().between(1, 50_000).map(n -> "acme_sat_" + s.repeat(n))));
  }

  @Property(tries = 1500)
  void arbitraryStringsAreRejectedWithoutThrowing(@ForAll("anyStrings") String presented) {
    long storeCalls = w.store.calls.get();
    check(presented);
    if (presented.length() != CODEC.length() && !presented.startsWith("pat.") && !presented.startsWith("sat.")) {
      assertThat(w.store.calls.get()).as("store calls for a string of the wrong length").isEqualTo(storeCalls);
    }
  }

  @Property(tries = 50)
  void nullAndEmptyAreRejected(@ForAll @IntRange(min = 0, max = 3) int which) {
    String presented = which == 0 ? null : which == 1 ? "" : which == 2 ? " " : "\u0000";
    assertThat(w.verifier.verify(presented)).isEqualTo(Rejected.of(RejectReason.MALFORMED));
  }

  // ---- byte-level mutations

  enum Kind { FLIP_BIT, INSERT, DELETE, DUPLICATE, TRUNCATE, CASE_SWAP, REPLACE, SWAP_ADJACENT }

  /** One edit of a string; positions and arguments are taken modulo what fits. */
  record Mutation(Kind kind, int position, int argument) {
    String apply(String s) {
      int n = s.length();
      int p = n == 0 ? 0 : Math.floorMod(position, n);
      switch (kind) {
        case FLIP_BIT:
          return n == 0 ? s : s.substring(0, p) + (char) (s.charAt(p) ^ (1 << Math.floorMod(argument, 16))) + s.substring(p + 1);
        case INSERT:
          int q = Math.floorMod(position, n + 1);
          return s.substring(0, q) + insertable(argument) + s.substring(q);
        case DELETE:
          return n == 0 ? s : s.substring(0, p) + s.substring(p + 1);
        case DUPLICATE:
          int end = Math.min(n, p + 1 + Math.floorMod(argument, 8));
          return s.substring(0, end) + s.substring(p, end) + s.substring(end);
        case TRUNCATE:
          return s.substring(0, Math.floorMod(position, n + 1));
        case CASE_SWAP:
          if (n == 0) {
            return s;
          }
          char c = s.charAt(p);
          char swapped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
          return s.substring(0, p) + swapped + s.substring(p + 1);
        case REPLACE:
          return n == 0 ? s : s.substring(0, p) + insertable(argument) + s.substring(p + 1);
        case SWAP_ADJACENT:
          return n < 2 ? s : p == n - 1 ? s
              : s.substring(0, p) + s.charAt(p + 1) + s.charAt(p) + s.substring(p + 2);
        default:
          throw new AssertionError(kind);
      }
    }

    /** Mostly characters a token may contain, sometimes anything. */
    private static char insertable(int argument) {
      int a = Math.floorMod(argument, 1000);
      String likely = BASE62 + "_.-";
      return a < 900 ? likely.charAt(a % likely.length()) : (char) (Math.floorMod(argument * 7919, 0xFFFF) + 1);
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one = Combinators.combine(
            Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 400), Arbitraries.integers())
        .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 1500)
  void mutationsOfNativeTokensAreNeverAccepted(
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll("mutations") List<Mutation> mutations) {
    String mutated = nativeTokens.get(which);
    for (Mutation m : mutations) {
      mutated = m.apply(mutated);
    }
    check(mutated);
  }

  @Property(tries = 600)
  void mutationsOfLegacyTokensAreNeverAccepted(
      @ForAll @IntRange(min = 0, max = 1) int which, @ForAll("mutations") List<Mutation> mutations) {
    String mutated = legacyTokens.get(which);
    for (Mutation m : mutations) {
      mutated = m.apply(mutated);
    }
    check(mutated);
  }

  // ---- well-formed tokens (valid checksum) with one part changed

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings().withChars(BASE62).ofLength(TokenFormat.SECRET_LENGTH);
  }

  @Property(tries = 500)
  void aWellFormedTokenWithAnotherSecretIsRejected(
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll("secrets") String otherSecret, @ForAll boolean nearMiss,
      @ForAll @IntRange(min = 0, max = TokenFormat.SECRET_LENGTH - 1) int position,
      @ForAll @IntRange(min = 1, max = 61) int shift) {
    String token = nativeTokens.get(which);
    String lookupId = token.substring(CODEC.idStart(), CODEC.idEnd());
    String secret = token.substring(CODEC.secretStart(), CODEC.secretStart() + TokenFormat.SECRET_LENGTH);
    PrincipalType type = token.startsWith("acme_pat_") ? PrincipalType.USER : PrincipalType.SERVICE_ACCOUNT;
    // a near miss is one character off; either way the checksum is recomputed, so only the secret is wrong
    char replacement = BASE62.charAt((BASE62.indexOf(secret.charAt(position)) + shift) % BASE62.length());
    String presentedSecret = nearMiss
        ? secret.substring(0, position) + replacement + secret.substring(position + 1)
        : otherSecret;
    String presented = CODEC.encode(type, lookupId, presentedSecret);
    VerificationResult r = check(presented);
    if (!valid.containsKey(presented)) {
      assertThat(r).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    }
  }

  /** Changes to a secret: the positions changed, and for each position p a shift of 1 to 61 (shifts[p]). */
  record SecretChange(Set<Integer> positions, List<Integer> shifts) {
    String apply(String token) {
      String lookupId = token.substring(CODEC.idStart(), CODEC.idEnd());
      char[] secret = token.substring(CODEC.secretStart(), CODEC.secretStart() + TokenFormat.SECRET_LENGTH).toCharArray();
      for (int p : positions) {
        secret[p] = BASE62.charAt((BASE62.indexOf(secret[p]) + shifts.get(p)) % BASE62.length());
      }
      PrincipalType type = token.startsWith("acme_pat_") ? PrincipalType.USER : PrincipalType.SERVICE_ACCOUNT;
      return CODEC.encode(type, lookupId, new String(secret)); // checksum recomputed: only the secret is wrong
    }
  }

  @Provide
  Arbitrary<SecretChange> secretChanges() {
    List<Integer> all = java.util.stream.IntStream.range(0, TokenFormat.SECRET_LENGTH).boxed().toList();
    return Combinators.combine(
            Arbitraries.subsetOf(all).ofMinSize(1),
            Arbitraries.integers().between(1, BASE62.length() - 1).list().ofSize(TokenFormat.SECRET_LENGTH))
        .as(SecretChange::new);
  }

  @Property(tries = 1500)
  void aSecretDifferingInAnyPositionsIsRejectedBeforeAndAfterAFirstSuccess(
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll boolean afterSuccess,
      @ForAll("secretChanges") SecretChange change) {
    String token = (afterSuccess ? warmTokens : coldTokens).get(which);
    String presented = change.apply(token);
    assertThat(presented).isNotEqualTo(token);
    String what = which == 2 ? "a previous secret" : "a secret";
    assertThat(w.verifier.verify(presented))
        .as("%s differing in positions %s, %s a first success", what, new java.util.TreeSet<>(change.positions()),
            afterSuccess ? "after" : "before")
        .isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    if (afterSuccess) {
      check(token); // the real one still verifies, as itself
    }
  }

  @Property(tries = 300)
  void aWellFormedTokenWithAnUnknownIdOrTheWrongKindIsRejected(
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll("secrets") String randomId, @ForAll boolean swapKind) {
    String token = nativeTokens.get(which);
    String secret = token.substring(CODEC.secretStart(), CODEC.secretStart() + TokenFormat.SECRET_LENGTH);
    PrincipalType type = token.startsWith("acme_pat_") ? PrincipalType.USER : PrincipalType.SERVICE_ACCOUNT;
    String presented = swapKind
        ? CODEC.encode(type == PrincipalType.USER ? PrincipalType.SERVICE_ACCOUNT : PrincipalType.USER,
            token.substring(CODEC.idStart(), CODEC.idEnd()), secret)
        : CODEC.encode(type, randomId.substring(0, TokenFormat.ID_LENGTH), secret);
    assertThat(check(presented)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
  }

  // ---- arbitrary legacy-shaped strings

  @Provide
  Arbitrary<String> legacyShaped() {
    Arbitrary<String> id = Arbitraries.strings().withChars(LEGACY_CHARS).ofMinLength(1).ofMaxLength(70);
    Arbitrary<String> knownAccount = Arbitraries.oneOf(id, Arbitraries.just(LEGACY_ACCOUNT));
    Arbitrary<String> knownToken = Arbitraries.oneOf(id, Arbitraries.of("tokup", "tokbc"));
    Arbitrary<String> secret = Arbitraries.strings().withChars(LEGACY_CHARS).ofMinLength(0).ofMaxLength(140);
    return Combinators.combine(Arbitraries.of("pat", "sat", "Sat", "pat ", "sat.."), knownAccount, knownToken, secret)
        .as((kind, account, token, s) -> kind + "." + account + "." + token + "." + s);
  }

  @Property(tries = 500)
  void arbitraryLegacyShapedStringsAreNeverAccepted(@ForAll("legacyShaped") String presented) {
    check(presented);
  }
}
