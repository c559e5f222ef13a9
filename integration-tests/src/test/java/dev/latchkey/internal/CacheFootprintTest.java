package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.AuditListener;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Principal;
import dev.latchkey.Scope;
import dev.latchkey.TokenFormat;
import dev.latchkey.TestPepperAccess;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenValue;
import dev.latchkey.VerificationListener;
import dev.latchkey.Verified;
import dev.latchkey.memory.MemoryTokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained bytes per cached token and per cached principal, measured with JOL on the verifier's
 * real caches after real verifications (so every entry carries what a hit needs: decoded digests,
 * the fast-check tag, the memoized result).
 *
 * <p>The population: {@code latchkey.footprint.tokens} tokens (default 2,000; the {@code scale} profile measures 100,000), 100 per service
 * account (10 keys of 10 tokens), each with a 10-character name, a 40-character description and one
 * tag, as a typical API would have them. A token entry's share is everything its cache holds apart
 * from what the principal cache holds (principal entries are shared by all tokens of a principal
 * and counted there); Caffeine's own share (nodes, table, frequency sketch) is what remains after
 * the entries' keys and values. JOL reports the layout of this JVM (compressed oops with a heap under
 * 32 GB).
 *
 * <p>With {@code latchkey.scale.results} set (the {@code scale} profile) the figures are written to
 * the {@code memory} block of that RESULTS.md.
 */
class CacheFootprintTest {
  private static final int TOKENS_PER_KEY = 10;
  private static final int KEYS_PER_PRINCIPAL = 10;

  static {
    // Caffeine holds lambdas (hidden classes), whose field offsets JDK 17 does not hand out through
    // Unsafe; JOL then finds them by probing instead. Set before JOL's classes load.
    System.setProperty("jol.magicFieldOffset", "true");
  }

  @Test
  void bytesRetainedPerCachedTokenAndPrincipal() throws Exception {
    int tokens = Integer.getInteger("latchkey.footprint.tokens", 2_000);
    int perPrincipal = TOKENS_PER_KEY * KEYS_PER_PRINCIPAL;
    Clock clock = Clock.fixed(Instant.parse("2030-06-01T12:00:00Z"), ZoneOffset.UTC);
    VerifierSettings settings = new VerifierSettings(2L * tokens, Duration.ofSeconds(5), Duration.ofMinutes(10),
        Duration.ofHours(1), Duration.ofSeconds(5), 500, 2, false, 10_000, 12);
    try (Assembly a = new Assembly(new Assembly.Config(new MemoryTokenStore(), PepperKeyset.generate(new SecureRandom()), TestPepperAccess.get(),
        TokenFormat.withPrefix("acme"), clock, new SecureRandom(), AccessPolicy.standard(), Limits.defaults(),
        AuditListener.none(), VerificationListener.NONE, settings, Duration.ofHours(24), false, null))) {
      TokenManager m = a.manager();
      Actor system = Actor.system();
      m.createAccount(system, "acme", "Acme");
      List<TokenValue> values = new ArrayList<>(tokens);
      ApiKey key = null;
      Principal owner = null;
      for (int i = 0; i < tokens; i++) {
        if (i % perPrincipal == 0) {
          owner = m.createServiceAccount(system, NewServiceAccount.of(Scope.account("acme"),
              String.format(Locale.ROOT, "svc_%05d", i / perPrincipal), "Service " + i / perPrincipal)
              .withPermissions(Set.of("deploy", "read")));
        }
        if (i % TOKENS_PER_KEY == 0) {
          key = m.createApiKey(system, NewApiKey.of(owner.ref(), "k" + (i / TOKENS_PER_KEY) % KEYS_PER_PRINCIPAL,
              "Key"));
        }
        values.add(m.issueToken(system, NewToken.of(key.ref(), "t" + i % TOKENS_PER_KEY,
                String.format(Locale.ROOT, "token-%04d", i % 10_000))
            .withDescription(String.format(Locale.ROOT, "deploys service %06d from the CI pipeline", i))
            .withTags(Map.of("team", "platform"))).value());
      }
      VerificationEngine engine = a.engine();
      for (int round = 0; round < 2; round++) { // the second round is a hit: fast-check tag and memo in place
        for (TokenValue v : values) {
          assertThat(engine.verify(v)).isInstanceOf(Verified.class);
        }
      }
      var tokenCache = engine.tokenCache();
      var principalCache = engine.principalCache();
      tokenCache.cleanUp();
      principalCache.cleanUp();
      int principals = (tokens + perPrincipal - 1) / perPrincipal;
      assertThat(tokenCache.estimatedSize()).isEqualTo(tokens);
      assertThat(principalCache.estimatedSize()).isEqualTo(principals);

      GraphLayout principalPart = GraphLayout.parseInstance(principalCache);
      GraphLayout tokenPart = GraphLayout.parseInstance(tokenCache).subtract(principalPart);
      List<Object> keysAndValues = new ArrayList<>();
      tokenCache.asMap().forEach((k, v) -> {
        keysAndValues.add(k);
        keysAndValues.add(v);
      });
      GraphLayout entries = GraphLayout.parseInstance(keysAndValues.toArray()).subtract(principalPart);
      long entryBytes = entries.totalSize() - GraphLayout.parseInstance((Object) new Object[keysAndValues.size()]).totalSize();
      double perToken = (double) tokenPart.totalSize() / tokens;
      double perTokenEntry = (double) entryBytes / tokens;
      double perTokenCaffeine = perToken - perTokenEntry;

      List<Object> principalKeysAndValues = new ArrayList<>();
      principalCache.asMap().forEach((k, v) -> {
        principalKeysAndValues.add(k);
        principalKeysAndValues.add(v);
      });
      GraphLayout principalEntries = GraphLayout.parseInstance(principalKeysAndValues.toArray());
      long principalEntryBytes = principalEntries.totalSize()
          - GraphLayout.parseInstance((Object) new Object[principalKeysAndValues.size()]).totalSize();
      double perPrincipalTotal = (double) principalPart.totalSize() / principals;
      double perPrincipalEntry = (double) principalEntryBytes / principals;

      String breakdown = classBreakdown(entries, tokens);
      System.out.printf(Locale.ROOT, "cache footprint, %d tokens under %d principals: per token %.0f B (entry and"
              + " key %.0f B, Caffeine %.0f B); per principal %.0f B (entry %.0f B); 1M cached tokens = %.0f MB%n%s%n",
          tokens, principals, perToken, perTokenEntry, perTokenCaffeine, perPrincipalTotal, perPrincipalEntry,
          perToken * 1e6 / (1 << 20), breakdown);

      // A guard against regressions of the entry's size, with room for JVM layout differences.
      assertThat(perToken).as("retained bytes per cached token").isBetween(200.0, 1_600.0);
      assertThat(perPrincipalTotal).as("retained bytes per cached principal").isBetween(100.0, 3_000.0);

      String results = System.getProperty("latchkey.scale.results", "");
      if (!results.isEmpty()) {
        writeResults(Path.of(results).toAbsolutePath(), tokens, principals, perToken, perTokenEntry, perTokenCaffeine,
            perPrincipalTotal, perPrincipalEntry, breakdown);
      }
    }
  }

  /** The classes that make up the token entries (without the principal part), bytes per token. */
  private static String classBreakdown(GraphLayout entries, int tokens) {
    var sizes = entries.getClassSizes();
    var counts = entries.getClassCounts();
    StringBuilder b = new StringBuilder("| class | objects per token | bytes per token |\n|---|---:|---:|\n");
    sizes.keys().stream().sorted(Comparator.comparingLong((Class<?> c) -> -sizes.count(c))).limit(14)
        .forEach(c -> b.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.1f |%n", c.getName(),
            (double) counts.count(c) / tokens, (double) sizes.count(c) / tokens)));
    return b.toString();
  }

  private static void writeResults(Path file, int tokens, int principals, double perToken, double perTokenEntry,
      double perTokenCaffeine, double perPrincipal, double perPrincipalEntry, String breakdown) throws Exception {
    String body = String.format(Locale.ROOT, """
        ## Memory per cached entry

        Generated by `CacheFootprintTest` (integration-tests, profile `scale`), JOL %s on %s %s, max heap %d MB
        (compressed references). %,d tokens under %,d service accounts (100 tokens each), each token with a
        10-character name, a 40-character description and one tag, each verified twice so that its entry holds
        the decoded digests, the fast-check tag and the memoized result.

        | per cached | retained bytes | of which the entry and its key | of which Caffeine (node, table, sketch) |
        |---|---:|---:|---:|
        | token | %.0f | %.0f | %.0f |
        | principal | %.0f | %.0f | %.0f |

        Cache sizing: 100,000 cached tokens (the default `cacheMaximumSize`) take about %.0f MB, 1,000,000 about
        %.0f MB, plus about %.0f KB per 1,000 cached principals.

        What a token entry is made of (bytes per token, largest first):

        %s
        """, "0.17", System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory() / (1 << 20), tokens, principals, perToken, perTokenEntry, perTokenCaffeine,
        perPrincipal, perPrincipalEntry, perPrincipal - perPrincipalEntry, perToken * 1e5 / (1 << 20),
        perToken * 1e6 / (1 << 20), perPrincipal * 1000 / 1024, breakdown);
    String text = Files.exists(file) ? Files.readString(file) : "";
    String name = "memory";
    String block = "<!-- section: " + name + " (generated; do not edit by hand) -->\n" + body.stripTrailing()
        + "\n<!-- end section: " + name + " -->\n";
    var m = java.util.regex.Pattern.compile("<!-- section: memory .*?<!-- end section: memory -->\n?",
        java.util.regex.Pattern.DOTALL).matcher(text);
    Files.writeString(file, m.find() ? text.substring(0, m.start()) + block + text.substring(m.end())
        : text.stripTrailing() + "\n\n" + block);
  }
}
