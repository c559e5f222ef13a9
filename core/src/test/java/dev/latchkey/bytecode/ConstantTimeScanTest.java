package dev.latchkey.bytecode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Latchkey;
import dev.latchkey.bytecode.ClassScan.MethodRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails if code in {@code latchkey-core} compares secrets or digests in time that depends on their
 * content. A bytecode scan of the compiled core (its jar or classes directory, wherever the test
 * class path has it), read with ASM ({@link ClassScan}):
 *
 * <ol>
 *   <li>no class in core refers to {@code java.util.Arrays.equals/mismatch/compare/compareUnsigned}
 *       on {@code byte[]} or {@code char[]}, nor to {@code ByteBuffer}/{@code CharBuffer} {@code
 *       equals/compareTo/mismatch}: they return at the first difference;
 *   <li>the classes that handle secrets and digests ({@link #SECRET_HANDLING}, with their nested
 *       classes and lambdas) do not refer to {@code String.equals}, {@code equalsIgnoreCase}, {@code
 *       contentEquals}, {@code compareTo}, {@code compareToIgnoreCase}, {@code regionMatches} or
 *       {@code Objects.equals/deepEquals}, as a call or as a method reference, except at the
 *       reviewed sites in {@link #REVIEWED}, which compare public values;
 *   <li>{@code SecretHasher.matches} and {@code FastSecretCheck.PerThread.matches}, the two places where a
 *       presented secret is judged, do call {@code MessageDigest.isEqual} (so the scan is not
 *       vacuous: it reads the real classes).
 * </ol>
 *
 * A self-test runs the same rules on {@link NaiveSecretCheck}, compiled in this test tree, which
 * uses {@code Arrays.equals(byte[], byte[])}, {@code String.equals} and {@code String::equals}:
 * the scanner must flag all three.
 *
 * <p><b>Why the comparison path is constant time</b> (what this test guards, and what it relies on):
 *
 * <ul>
 *   <li>Everything before the secret is compared depends only on public input: the presented
 *       string's length and shape (rejecting at the first bad character tells the caller where
 *       their own input is malformed), its CRC32 (compared as one {@code long}), and the lookup id,
 *       which is public by design; its lookup can only tell whether a 95-bit random lookup id
 *       exists, and every failure gives the same caller-facing answer. For a known id the secret is
 *       checked before status, expiry and principal, with the same work for every wrong secret
 *       whatever the token's state (checked by {@code RejectionCostTest}).
 *   <li>The secret itself is never compared. Its HMAC-SHA-256 under the pepper is computed over all
 *       43 characters (the length is fixed by the format) and the 32-byte result is compared with
 *       the stored 32-byte digest by {@code MessageDigest.isEqual}, which since JDK 6u17 examines
 *       every byte of equal-length inputs. The cached fast path does the same with a salted
 *       SHA-256 tag of 32 bytes. Digests of both lengths are fixed, so the early length check
 *       inside {@code isEqual} never depends on the input.
 *   <li>A mismatch of the current secret is always followed by an HMAC for the previous secret
 *       (against a dummy digest when there is none, and counted only during a grace period): a
 *       match of the current secret skips it, which reveals only what its presenter knows.
 *   <li>Imported bcrypt hashes are checked by Bouncy Castle's {@code OpenBSDBCrypt.checkPassword},
 *       which compares the whole recomputed hash string without an early exit.
 * </ul>
 *
 * The scan cannot see a hand-written early-exit loop over bytes; such code would also have to get
 * past review of the few methods named above.
 *
 * <p>This is a lint of which methods are called, not of what they are given: {@code
 * MessageDigest.isEqual} called on one byte of each digest passes it. That every byte of the cached
 * tag and of the HMAC digest matters is tested by behaviour, on both paths and for the previous
 * secret of a rotated token, in {@code SecretComparisonTest} (exhaustively over single-character
 * changes) and {@code VerifierFuzzProperties} (random multi-position changes).
 */
class ConstantTimeScanTest {
  /** Internal names of the classes that touch presented secrets, stored digests or bcrypt hashes. */
  static final Set<String> SECRET_HANDLING = Set.of(
      "dev/latchkey/internal/SecretHasher",
      "dev/latchkey/internal/FastSecretCheck",
      "dev/latchkey/internal/Bcrypt",
      "dev/latchkey/internal/VerificationEngine",
      "dev/latchkey/internal/TokenCodec",
      "dev/latchkey/internal/LegacyFormat");

  /** Reviewed uses in secret-handling classes: class + method (name and descriptor) + target, and why. */
  static final Map<String, String> REVIEWED = Map.of(
      "dev/latchkey/internal/SecretHasher#digestOf(Ldev/latchkey/spi/CredentialHash;)[B"
          + " -> java/lang/String.equals(Ljava/lang/Object;)Z",
      "compares the stored hash's scheme name with the constant \"hmac-sha256\"; public, not secret",
      "dev/latchkey/internal/VerificationEngine#isExactly(Ldev/latchkey/spi/TokenRecord;Ljava/lang/String;)Z"
          + " -> java/lang/String.equals(Ljava/lang/Object;)Z",
      "compares the lookup id of the record a store returned with the id asked for; lookup ids are public");

  private static final MethodRef IS_EQUAL = new MethodRef("java/security/MessageDigest", "isEqual", "([B[B)Z");

  record Finding(String className, String method, MethodRef target, String rule) {
    String key() {
      return className + "#" + method + " -> " + target;
    }

    @Override
    public String toString() {
      return rule + ": " + key();
    }
  }

  /** Rule (a): content-dependent comparison of byte or char arrays and buffers, anywhere. */
  static boolean comparesArraysEarlyExit(MethodRef m) {
    boolean arrays = m.owner().equals("java/util/Arrays")
        && Set.of("equals", "mismatch", "compare", "compareUnsigned").contains(m.name())
        && (m.descriptor().contains("[B") || m.descriptor().contains("[C"));
    boolean buffers = (m.owner().equals("java/nio/ByteBuffer") || m.owner().equals("java/nio/CharBuffer"))
        && Set.of("equals", "compareTo", "mismatch").contains(m.name());
    return arrays || buffers;
  }

  /** Rule (b): content-dependent comparison of strings or objects, in secret-handling classes. */
  static boolean comparesObjectsEarlyExit(MethodRef m) {
    boolean strings = m.owner().equals("java/lang/String") && Set.of("equals", "equalsIgnoreCase", "contentEquals",
        "compareTo", "compareToIgnoreCase", "regionMatches").contains(m.name());
    boolean objects = m.owner().equals("java/util/Objects") && Set.of("equals", "deepEquals").contains(m.name());
    return strings || objects;
  }

  static boolean isSecretHandling(String className) {
    String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
    return SECRET_HANDLING.contains(outer);
  }

  /** Every violation of rules (a) and (b) in one class, attributed to the methods that use it. */
  static List<Finding> scan(ClassScan c, boolean secretHandling) {
    List<Finding> out = new ArrayList<>();
    for (MethodRef ref : c.referencedMethods()) {
      String rule = comparesArraysEarlyExit(ref) ? "(a) early-exit array comparison"
          : secretHandling && comparesObjectsEarlyExit(ref) ? "(b) early-exit comparison in a secret-handling class"
          : null;
      if (rule == null) {
        continue;
      }
      List<String> users = c.methodsUsing(ref);
      if (users.isEmpty()) {
        out.add(new Finding(c.name(), "<constant pool, no call site found>", ref, rule));
      }
      for (String method : users) {
        out.add(new Finding(c.name(), method, ref, rule));
      }
    }
    return out;
  }

  // ---- the real core

  @Test
  void coreComparesSecretsAndDigestsOnlyInConstantTime() {
    Map<String, ClassScan> core = coreClasses();
    assertThat(core).as("core classes found on the class path").hasSizeGreaterThan(40);
    assertThat(core.keySet()).as("every secret-handling class is there").containsAll(SECRET_HANDLING);

    List<Finding> findings = new ArrayList<>();
    for (ClassScan c : core.values()) {
      findings.addAll(scan(c, isSecretHandling(c.name())));
    }
    List<Finding> unreviewed = findings.stream().filter(f -> !REVIEWED.containsKey(f.key())).toList();
    assertThat(unreviewed)
        .as("non-constant-time comparisons in core (use MessageDigest.isEqual on fixed-length digests;"
            + " if a use compares only public values, review it and add it to REVIEWED with the reason)")
        .isEmpty();
    // a reviewed site that disappeared should be dropped from the list, so the list stays honest
    Set<String> found = findings.stream().map(Finding::key).collect(Collectors.toSet());
    assertThat(REVIEWED.keySet()).as("reviewed sites that no longer exist").allSatisfy(k -> assertThat(found).contains(k));
  }

  @Test
  void theTwoPlacesThatJudgeASecretUseMessageDigestIsEqual() {
    Map<String, ClassScan> core = coreClasses();
    for (String name : List.of("dev/latchkey/internal/SecretHasher", "dev/latchkey/internal/FastSecretCheck$PerThread")) {
      ClassScan c = core.get(name);
      assertThat(c.referencedMethods()).as(name + " refers to MessageDigest.isEqual").contains(IS_EQUAL);
      assertThat(c.methodsUsing(IS_EQUAL)).as(name + " methods calling MessageDigest.isEqual")
          .anySatisfy(m -> assertThat(m).startsWith("matches("));
    }
  }

  // ---- the scanner can fail

  @Test
  void theScannerFlagsANaiveComparison() {
    ClassScan naive = ClassScan.of(bytesOf(NaiveSecretCheck.class));
    List<Finding> findings = scan(naive, true);
    assertThat(findings).extracting(Finding::key).contains(
        "dev/latchkey/bytecode/NaiveSecretCheck#digestMatches([B[B)Z -> java/util/Arrays.equals([B[B)Z",
        "dev/latchkey/bytecode/NaiveSecretCheck#secretMatches(Ljava/lang/String;Ljava/lang/String;)Z"
            + " -> java/lang/String.equals(Ljava/lang/Object;)Z",
        "dev/latchkey/bytecode/NaiveSecretCheck#matcherFor(Ljava/lang/String;)Ljava/util/function/Predicate;"
            + " -> java/lang/String.equals(Ljava/lang/Object;)Z");
    // rule (a) holds for every class, secret-handling or not
    assertThat(scan(naive, false)).extracting(Finding::rule).containsOnly("(a) early-exit array comparison");

    ClassScan right = ClassScan.of(bytesOf(ConstantTimeSecretCheck.class));
    assertThat(scan(right, true)).isEmpty();
    assertThat(right.methodsUsing(IS_EQUAL)).containsExactly("digestMatches([B[B)Z");
  }

  @Test
  void theClassFileReaderReadsEveryCoreClassCompletely() {
    // ASM visits every instruction of every method and throws on a class file it cannot read; the
    // counts show the scan is wired to the real classes and sees their calls
    Map<String, ClassScan> core = coreClasses();
    long calls = core.values().stream().mapToLong(c -> c.callsByMethod().values().stream().mapToLong(Set::size).sum()).sum();
    assertThat(calls).isGreaterThan(500);
    ClassScan engine = core.get("dev/latchkey/internal/VerificationEngine");
    assertThat(engine.callsByMethod().keySet()).anySatisfy(m -> assertThat(m).startsWith("verify(Ljava/lang/CharSequence;)"));
  }

  // ---- reading classes

  /** Internal name to parsed class, for every class of the core artifact (jar or directory). */
  static Map<String, ClassScan> coreClasses() {
    Path location;
    try {
      location = Path.of(Latchkey.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Map<String, ClassScan> out = new TreeMap<>();
    try {
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
            add(out, Files.readAllBytes(p));
          }
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
            try (InputStream in = jar.getInputStream(e)) {
              add(out, in.readAllBytes());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading core classes from " + location, e);
    }
    return out;
  }

  private static void add(Map<String, ClassScan> out, byte[] bytes) {
    ClassScan c = ClassScan.of(bytes);
    if (!c.name().equals("module-info")) {
      out.put(c.name(), c);
    }
  }

  static byte[] bytesOf(Class<?> type) {
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " not found");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
