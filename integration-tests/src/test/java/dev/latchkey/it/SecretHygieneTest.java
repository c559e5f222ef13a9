package dev.latchkey.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.AuditAction;
import dev.latchkey.AuditEvent;
import dev.latchkey.AuditListener;
import dev.latchkey.ConfigurationException;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.PageRequest;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenValue;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import dev.latchkey.jdbc.JdbcSchema;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.servlet.LatchkeyFilter;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testing.CountingStore;
import dev.latchkey.testing.SecretMatcher;
import dev.latchkey.testing.TokenText;
import dev.latchkey.testsupport.LogCapture;
import dev.latchkey.testsupport.SharedPostgres;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * No token value, secret or pepper leaves Latchkey in anything a host application might print or
 * export. Captured while issuing, verifying, rotating, revoking, importing, upgrading peppers and
 * failing (bad and stale tokens, a store outage, a pepper mismatch, a closed connection pool, bad
 * management calls) through the core API, through the Servlet filter in a real Jetty, and over
 * PostgreSQL through the JDBC store:
 *
 * <ul>
 *   <li>every log line of every logger at TRACE (SLF4J/Logback, and java.util.logging, which the
 *       PostgreSQL driver uses);
 *   <li>the message, {@code toString} and stack trace, with causes, of every exception thrown by a
 *       bad call;
 *   <li>{@code toString} of every audit event and of every value returned ({@code IssuedToken},
 *       {@code Token}, {@code TokenRecord}, {@code CredentialHash}, {@code Principal}, {@code
 *       ApiKey}, {@code Verified}, {@code Rejected}, {@code VerificationStats}, {@code
 *       PepperKeyset}, {@code TokenValue}, {@code LegacyToken}, pages, hash usage);
 *   <li>every argument of every {@link VerificationListener} callback;
 *   <li>every HTTP response (status line, headers, body) of the filter.
 * </ul>
 *
 * Forbidden: any piece of 12 characters or more ({@link SecretMatcher}, shared with {@link
 * LogHygieneTest}) of each token's secret part with or without its checksum, of legacy tokens'
 * secrets, of each pepper keyset's export and of each key in base64 and base64url. So a secret
 * printed without its checksum, truncated, or cut anywhere is caught too. Latchkey's own output (its
 * loggers, exceptions, values, events, listener arguments) must not contain pieces of stored digests,
 * bcrypt hashes or pepper key-check values either.
 */
class SecretHygieneTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TokenText CODEC = new TokenText(TokenFormat.withPrefix("acme"));
  private static final Actor SYSTEM = Actor.system();
  private static final String JETTY_HEADER_LOGGER = "org.eclipse.jetty.http.HttpParser";
  private static final String JETTY_BUFFER_LOGGER = "org.eclipse.jetty.io.SocketChannelEndPoint";

  /** Token values, secrets, peppers: never anywhere. */
  private final SecretMatcher secrets = new SecretMatcher();
  /** Stored digests and bcrypt hashes: never in Latchkey's own output. */
  private final SecretMatcher hashes = new SecretMatcher();
  /** Twelve characters from the middle of one secret, for the self-test. */
  private String someSecretPiece;

  private final List<String> exceptionTexts = new ArrayList<>();
  private final List<String> valueTexts = new ArrayList<>();
  private final List<String> httpTexts = new ArrayList<>();
  private final List<AuditEvent> auditEvents = new CopyOnWriteArrayList<>();
  private final RecordingListener listener = new RecordingListener();
  private final AuditListener audit = e -> {
    auditEvents.add(e);
    AuditListener.slf4j().onEvent(e); // and to the log, as by default
  };

  @Test
  void noTokenSecretOrPepperReachesLogsExceptionsEventsValuesMetricsOrResponses() throws Exception {
    List<String> logLines;
    List<String> julLines;
    try (LogCapture logs = new LogCapture(); JulCapture jul = new JulCapture()) {
      coreScenario();
      servletAndJdbcScenario();
      logLines = logs.lines();
      julLines = jul.lines();
    }
    List<String> latchkeyLogLines = logLines.stream().filter(l -> l.startsWith("dev.latchkey")).toList();
    // Jetty's HTTP parser prints every request header, Authorization included, at DEBUG, and its
    // socket end point prints the head and tail of every buffer it reads (often the token's last 19
    // characters) at DEBUG: the container's own behaviour, outside Latchkey. Both are shown here so
    // that they stay known, named exceptions (operators: keep org.eclipse.jetty at INFO or above in
    // production).
    List<String> containerHeaderLines = logLines.stream().filter(l -> l.startsWith(JETTY_HEADER_LOGGER + " ")).toList();
    List<String> containerBufferLines = logLines.stream().filter(l -> l.startsWith(JETTY_BUFFER_LOGGER + " ")).toList();
    List<String> otherLogLines = logLines.stream()
        .filter(l -> !l.startsWith(JETTY_HEADER_LOGGER + " ") && !l.startsWith(JETTY_BUFFER_LOGGER + " ")).toList();
    assertThat(containerHeaderLines).as("Jetty logs request headers at DEBUG")
        .anySatisfy(l -> assertThat(l).contains("Authorization: Bearer acme_sat_"));
    assertThat(containerBufferLines).as("Jetty logs the head and tail of the request bytes it reads at DEBUG")
        .anySatisfy(l -> assertThat(secrets.findIn(l)).isNotEmpty());
    List<String> listenerTexts = List.copyOf(listener.texts);
    List<String> auditTexts = auditEvents.stream().map(AuditEvent::toString).toList();

    // the captures are not vacuous
    assertThat(secrets.size()).isGreaterThan(30);
    assertThat(hashes.size()).isGreaterThan(5);
    assertThat(String.join("\n", latchkeyLogLines)).contains(
        "dev.latchkey.audit INFO audit action=TOKEN_ISSUED", "action=TOKEN_ROTATED", "action=TOKEN_REVOKED",
        "action=TOKEN_IMPORTED", "action=TOKEN_REHASHED", "action=TOKEN_DELETED",
        "fail closed",                                                 // core, store outage
        "starting without peppers still used by stored hashes",        // core, pepper mismatch forced
        "dev.latchkey.jdbc.JdbcSchema INFO Latchkey schema: applied",  // jdbc-store
        "dev.latchkey.servlet.LatchkeyFilter DEBUG request rejected: token from",
        "dev.latchkey.servlet.LatchkeyFilter DEBUG request forbidden");
    assertThat(logLines).anySatisfy(l -> assertThat(l).startsWith("org.eclipse.jetty"));
    assertThat(logLines).anySatisfy(l -> assertThat(l).startsWith("com.zaxxer.hikari"));
    assertThat(julLines).as("PostgreSQL driver (java.util.logging)").anySatisfy(l -> assertThat(l).startsWith("org.postgresql"));
    assertThat(exceptionTexts).hasSizeGreaterThan(15);
    assertThat(String.join("\n", exceptionTexts)).contains("NotFoundException", "ConflictException",
        "InvalidArgumentException", "PermissionDeniedException", "StoreException", "ConfigurationException",
        "HikariDataSource");
    assertThat(auditEvents).extracting(AuditEvent::action).contains(AuditAction.TOKEN_ISSUED, AuditAction.TOKEN_ROTATED,
        AuditAction.TOKEN_REVOKED, AuditAction.TOKEN_IMPORTED, AuditAction.TOKEN_REHASHED, AuditAction.TOKEN_UPDATED);
    assertThat(listenerTexts).anySatisfy(t -> assertThat(t).startsWith("onStoreError"))
        .anySatisfy(t -> assertThat(t).startsWith("onResult Verified"))
        .anySatisfy(t -> assertThat(t).startsWith("onResult Rejected[BAD_SECRET]"));
    assertThat(String.join("\n", httpTexts)).contains("HTTP 200", "HTTP 401", "HTTP 403");
    assertThat(valueTexts).hasSizeGreaterThan(20);

    // the check can fail
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> secrets.assertNoneIn("self-test", List.of("x" + someSecretPiece + "y")))
        .isInstanceOf(AssertionError.class);

    // nothing leaks
    secrets.assertNoneIn("log lines (every logger but " + JETTY_HEADER_LOGGER + " and " + JETTY_BUFFER_LOGGER + ")",
        otherLogLines);
    secrets.assertNoneIn("java.util.logging records", julLines);
    secrets.assertNoneIn("HTTP responses", httpTexts);
    SecretMatcher all = new SecretMatcher().addAll(secrets).addAll(hashes);
    all.assertNoneIn("Latchkey log lines", latchkeyLogLines);
    all.assertNoneIn("exceptions", exceptionTexts);
    all.assertNoneIn("audit events", auditTexts);
    all.assertNoneIn("toString of returned values", valueTexts);
    all.assertNoneIn("verification listener arguments", listenerTexts);
  }

  // ---------------------------------------------------------------------------------------------
  // What must never appear

  private void token(TokenValue value) {
    token(value.reveal());
  }

  private void token(String value) {
    secrets.token(value);
    if (someSecretPiece == null) {
      someSecretPiece = value.substring(CODEC.secretStart() + 15, CODEC.secretStart() + 15 + SecretMatcher.MIN_LENGTH);
    }
  }

  private void legacy(String dotted, String secret) {
    secrets.token(dotted, dotted.length() - secret.length());
    secrets.secret(secret);
  }

  private void peppers(PepperKeyset keyset) {
    secrets.peppers(keyset);
  }

  private void pepperKey(byte[] key) {
    secrets.pepperKey(key);
  }

  private void storedHashes(TokenRecord r) {
    hashes.secret(r.current().payload());
    if (r.previous() != null) {
      hashes.secret(r.previous().payload());
    }
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  // ---------------------------------------------------------------------------------------------
  // Collecting

  /** Runs a call that must fail; keeps everything its exception would print. */
  private void expectFailure(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      exceptionTexts.add(describe(e));
      return;
    }
    throw new AssertionError("the call did not fail");
  }

  static String describe(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w)); // toString, message, causes, suppressed
    StringBuilder sb = new StringBuilder(w.toString());
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append('\n').append(t).append(" | ").append(t.getMessage()).append(" | ").append(t.getLocalizedMessage());
    }
    return sb.toString();
  }

  private <T> T value(T v) {
    valueTexts.add(String.valueOf(v));
    return v;
  }

  private VerificationResult verify(Latchkey latchkey, String presented) {
    return value(latchkey.verifier().verify(presented));
  }

  /** Every callback's arguments, as a metrics adapter would see and perhaps print them. */
  static final class RecordingListener implements VerificationListener {
    final List<String> texts = new CopyOnWriteArrayList<>();

    @Override
    public void onResult(VerificationResult result) {
      texts.add("onResult " + result);
    }

    @Override
    public void onCacheHit() {
      texts.add("onCacheHit");
    }

    @Override
    public void onCacheMiss() {
      texts.add("onCacheMiss");
    }

    @Override
    public void onStoreError(RuntimeException error) {
      texts.add("onStoreError " + describe(error));
    }
  }

  /** Every java.util.logging record of every logger (the PostgreSQL driver logs there), at ALL. */
  static final class JulCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    private final java.util.logging.Logger postgres = java.util.logging.Logger.getLogger("org.postgresql");
    private final Level rootLevel = root.getLevel();
    private final Level postgresLevel = postgres.getLevel();
    private final SimpleFormatter formatter = new SimpleFormatter();

    JulCapture() {
      setLevel(Level.ALL);
      root.setLevel(Level.ALL);
      postgres.setLevel(Level.ALL);
      root.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
      lines.add(r.getLoggerName() + " " + r.getLevel() + " " + formatter.formatMessage(r) + " "
          + (r.getParameters() == null ? "" : java.util.Arrays.toString(r.getParameters()))
          + (r.getThrown() == null ? "" : " " + describe(r.getThrown())));
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      root.removeHandler(this);
      root.setLevel(rootLevel);
      postgres.setLevel(postgresLevel);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Through the core

  private void coreScenario() throws InterruptedException {
    PepperKeyset v1 = PepperKeyset.generate(RANDOM);
    peppers(v1);
    try (World w = new World(b -> b.peppers(v1).acceptLegacyTokens(true).auditListener(audit).verificationListener(listener))) {
      var m = w.m;
      var satKey = value(m.createApiKey(SYSTEM, NewApiKey.of(w.ci.ref(), "k", "K"))).ref();
      var patKey = value(m.createApiKey(SYSTEM, NewApiKey.of(w.alice.ref(), "k", "K"))).ref();
      IssuedToken sat = value(m.issueToken(SYSTEM, NewToken.of(satKey, "sat", "Sat")));
      IssuedToken pat = value(m.issueToken(Actor.principal(w.alice.ref()), NewToken.of(patKey, "pat", "Pat")));
      token(sat.value());
      token(pat.value());
      value(sat.value());
      verify(w.latchkey, sat.value().reveal());
      verify(w.latchkey, pat.value().reveal());

      // rotation with grace, and failed rotations
      IssuedToken rotated = value(m.rotateToken(SYSTEM, sat.ref(), Rotation.withGrace(Duration.ofMinutes(5))));
      token(rotated.value());
      verify(w.latchkey, sat.value().reveal());
      verify(w.latchkey, rotated.value().reveal());
      expectFailure(() -> m.rotateToken(SYSTEM, sat.ref(), Rotation.immediate().ifVersion(1)));
      expectFailure(() -> m.rotateToken(SYSTEM, sat.ref(), Rotation.withGrace(Duration.ofDays(30))));
      value(m.editToken(SYSTEM, sat.ref(), TokenEdit.none().name("renamed")));
      storedHashes(value(w.memory.findToken(sat.ref()).orElseThrow()));
      value(w.memory.findToken(sat.ref()).orElseThrow().current());

      // revoke, and what fails afterwards
      value(m.revokeToken(SYSTEM, pat.ref()));
      verify(w.latchkey, pat.value().reveal());
      expectFailure(() -> m.rotateToken(SYSTEM, pat.ref(), Rotation.immediate()));
      expectFailure(() -> TokenEdit.none().name(""));
      expectFailure(() -> m.issueToken(SYSTEM, NewToken.of(w.ci.ref().apiKey("missing"), "t", "T")));
      expectFailure(() -> m.issueToken(Actor.principal(w.alice.ref()), NewToken.of(satKey, "t2", "T")));
      expectFailure(() -> m.issueToken(SYSTEM, NewToken.of(satKey, "sat", "Duplicate")));
      expectFailure(() -> m.createUser(SYSTEM, NewUser.of("acme", "x", "X").withPermissions(Set.of("bad permission"))));
      expectFailure(() -> TokenValue.of(null));
      expectFailure(() -> m.getToken(Actor.principal(w.bob.ref()), sat.ref()));

      // an imported legacy token: verified with bcrypt, then upgraded to HMAC
      var legacyKey = m.createApiKey(SYSTEM, NewApiKey.of(w.ci.ref(), "legacy", "Imported")).ref();
      String legacySecret = "Zx8PqL2mVt9RrB4kWn7yHs";
      String bcrypt = OpenBSDBCrypt.generate("2b", legacySecret.toCharArray(), randomKey16(), 4);
      hashes.secret(bcrypt);
      String dotted = "sat.acctLegacy.tokLegacy." + legacySecret;
      legacy(dotted, legacySecret);
      LegacyToken imported = value(LegacyToken.of(legacyKey.token("old"), "Old", "acctLegacy", "tokLegacy", bcrypt,
          Expiration.after(Duration.ofDays(3))));
      value(m.importToken(SYSTEM, imported));
      verify(w.latchkey, "sat.acctLegacy.tokLegacy.WrongLegacySecret1");
      verify(w.latchkey, dotted);
      awaitScheme(() -> w.memory.findToken(legacyKey.token("old")).orElseThrow(), CredentialHash.HMAC_SHA256);
      storedHashes(w.memory.findToken(legacyKey.token("old")).orElseThrow());
      expectFailure(() -> LegacyToken.of(legacyKey.token("bad"), "Bad", "acct", "tok", "$2b$04$" + "x".repeat(10),
          Expiration.defaultLifetime()));

      // bad tokens: malformed, a wrong secret with a valid checksum, nothing at all
      String value = rotated.value().reveal();
      verify(w.latchkey, value.substring(0, value.length() - 1));
      verify(w.latchkey, value + "x");
      verify(w.latchkey, value.toUpperCase(java.util.Locale.ROOT));
      String wrongSecret = CODEC.encode(PrincipalType.SERVICE_ACCOUNT, rotated.token().lookupId(), CODEC.newSecret(RANDOM));
      token(wrongSecret);
      verify(w.latchkey, wrongSecret);
      verify(w.latchkey, null);

      // a store outage: verification fails closed, management calls throw
      w.store.failing = true;
      w.latchkey.invalidateCache();
      verify(w.latchkey, value);
      expectFailure(() -> m.issueToken(SYSTEM, NewToken.of(satKey, "during_outage", "T")));
      expectFailure(() -> m.rotateToken(SYSTEM, rotated.ref(), Rotation.immediate()));
      w.store.failing = false;
      w.latchkey.flushLastUsed();

      // pepper rotation: a node with a new primary upgrades the hash on use
      byte[] v2key = randomKey();
      pepperKey(v2key);
      PepperKeyset v12 = v1.withPrimary(2, v2key);
      peppers(v12);
      try (Latchkey upgraded = node(w, v12, false)) {
        verify(upgraded, value);
        awaitPepper(() -> w.memory.findToken(rotated.ref()).orElseThrow(), 2);
      }
      storedHashes(w.memory.findToken(rotated.ref()).orElseThrow());

      // pepper mismatch: same versions, other keys (refused at start); a missing version (refused, then forced)
      PepperKeyset impostor = PepperKeyset.builder().add(1, randomKey()).add(2, randomKey()).build();
      peppers(impostor);
      refusedOrRejecting(w, impostor, false, value);
      refusedOrRejecting(w, impostor, true, value);
      PepperKeyset other = PepperKeyset.builder().add(3, randomKey()).build();
      peppers(other);
      expectFailure(() -> node(w, other, false));
      try (Latchkey forced = node(w, other, true)) {
        assertThat(verify(forced, value)).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
      }

      // key-check values: store data, like digests. addPepperCheck returns the value already recorded
      // for a version, and versions 1 to 3 were all recorded above (never the dummy offered here).
      for (int version = 1; version <= 3; version++) {
        String recorded = w.memory.addPepperCheck(version, "not-recorded");
        assertThat(recorded).as("key-check value of version %d", version).isNotEqualTo("not-recorded");
        hashes.secret(recorded);
      }

      // peppers in text form that are refused
      byte[] shortKey = new byte[16];
      RANDOM.nextBytes(shortKey);
      pepperKey(shortKey);
      expectFailure(() -> PepperKeyset.parse("1:" + Base64.getEncoder().encodeToString(shortKey)));
      byte[] goodKey = randomKey();
      pepperKey(goodKey);
      String good = Base64.getEncoder().encodeToString(goodKey);
      expectFailure(() -> PepperKeyset.parse("1:" + good + ",1:" + good));
      expectFailure(() -> PepperKeyset.parse("one:" + good));
      expectFailure(() -> PepperKeyset.parse("1:" + good.substring(0, 30) + "%%%%" + good.substring(34)));
      expectFailure(() -> PepperKeyset.parse("1*:" + good + " 2*:" + good));
      expectFailure(() -> v12.without(2));

      // delete, list, read back: metadata only
      m.deleteToken(SYSTEM, sat.ref());
      value(m.listTokens(SYSTEM, satKey, PageRequest.first()));
      value(m.listTokens(SYSTEM, legacyKey, PageRequest.first()));
      value(m.getApiKey(SYSTEM, satKey));
      value(m.getPrincipal(SYSTEM, w.ci.ref()));
      value(m.hashUsage(SYSTEM));
      value(w.latchkey.stats());
      value(w.latchkey.format());
      value(v12);
      value(Actor.system());
      value(Rejected.of(RejectReason.STORE_ERROR));
    }
  }

  /** A node with the wrong peppers either refuses to start or rejects the token. */
  private void refusedOrRejecting(World w, PepperKeyset keyset, boolean allowUnknown, String token) {
    Latchkey node;
    try {
      node = node(w, keyset, allowUnknown);
    } catch (ConfigurationException e) {
      exceptionTexts.add(describe(e));
      return;
    }
    try (node) {
      assertThat(verify(node, token)).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    }
  }

  private Latchkey node(World w, PepperKeyset keyset, boolean allowUnknown) {
    return Latchkey.builder().store(w.store).peppers(keyset).tokenPrefix("acme").clock(w.clock).auditListener(audit)
        .verificationListener(listener).allowUnknownPepperVersions(allowUnknown).build();
  }

  private static byte[] randomKey16() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return salt;
  }

  private static void awaitScheme(Supplier<TokenRecord> record, String scheme) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!record.get().current().scheme().equals(scheme)) {
      assertThat(System.nanoTime()).as("hash upgrade to " + scheme).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static void awaitPepper(Supplier<TokenRecord> record, int version) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (record.get().current().pepperVersion() != version) {
      assertThat(System.nanoTime()).as("hash upgrade to pepper " + version).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Through the Servlet filter in Jetty, over PostgreSQL

  /** The application behind the filter. */
  static final class WhoAmI extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain;charset=utf-8");
      resp.getWriter().println("principal=" + req.getUserPrincipal().getName());
    }
  }

  private void servletAndJdbcScenario() throws Exception {
    PepperKeyset peppers = PepperKeyset.generate(RANDOM);
    peppers(peppers);
    SharedPostgres.Database db = SharedPostgres.freshDatabase(4);
    JdbcSchema.migrate(db.dataSource());
    CountingStore store = new CountingStore(JdbcTokenStore.builder(db.dataSource()).build());
    Server server = null;
    try (Latchkey latchkey = Latchkey.builder().store(store).peppers(peppers).tokenPrefix("acme").acceptLegacyTokens(true)
        .auditListener(audit).verificationListener(listener).stalenessBound(Duration.ofMillis(200)).build()) {
      var m = latchkey.manager();
      m.createAccount(SYSTEM, "acme", "Acme");
      PrincipalRef bot = m.createServiceAccount(SYSTEM, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")
          .withPermissions(Set.of("deploy"))).ref();
      var key = m.createApiKey(SYSTEM, NewApiKey.of(bot, "k", "K")).ref();
      IssuedToken good = value(m.issueToken(SYSTEM, NewToken.of(key, "good", "Good")));
      IssuedToken revoked = m.issueToken(SYSTEM, NewToken.of(key, "revoked", "Revoked"));
      IssuedToken rotatedOut = m.issueToken(SYSTEM, NewToken.of(key, "rotated", "Rotated"));
      IssuedToken rotatedIn = value(m.rotateToken(SYSTEM, rotatedOut.ref(), Rotation.immediate()));
      m.revokeToken(SYSTEM, revoked.ref());
      for (IssuedToken t : List.of(good, revoked, rotatedOut, rotatedIn)) {
        token(t.value());
        store.findToken(t.ref()).ifPresent(this::storedHashes);
      }
      TokenRef importedRef = key.token("imported");
      String legacySecret = "PgLegacySecret_0123-abc";
      String bcrypt = OpenBSDBCrypt.generate("2a", legacySecret.toCharArray(), randomKey16(), 4);
      hashes.secret(bcrypt);
      String dotted = "sat.pgacct.pgtok." + legacySecret;
      legacy(dotted, legacySecret);
      m.importToken(SYSTEM, LegacyToken.of(importedRef, "Imported", "pgacct", "pgtok", bcrypt, Expiration.after(Duration.ofDays(1))));

      LatchkeyFilter filter = LatchkeyFilter.builder(latchkey.verifier()).apiKeyHeader("X-Api-Key")
          .requirePermission("/admin", "admin").build();
      value(filter);
      server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/app");
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(new WhoAmI()), "/*");
      server.setHandler(context);
      server.start();
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + connector.getLocalPort() + "/app";

      String g = good.value().reveal();
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + g)).isEqualTo(200);
      assertThat(get(client, base + "/x", "X-Api-Key", g)).isEqualTo(200);
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + dotted)).isEqualTo(200);
      assertThat(get(client, base + "/admin/x", "Authorization", "Bearer " + g)).isEqualTo(403);
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + revoked.value().reveal())).isEqualTo(401);
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + rotatedOut.value().reveal())).isEqualTo(401);
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + g.substring(1))).isEqualTo(401);
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + g, "X-Api-Key", g)).isEqualTo(401);
      assertThat(get(client, base + "/x", "Authorization", "Basic " + g)).isEqualTo(401);
      String forged = CODEC.encode(PrincipalType.SERVICE_ACCOUNT, good.token().lookupId(), CODEC.newSecret(RANDOM));
      token(forged);
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + forged)).isEqualTo(401);
      assertThat(get(client, base + "/x", "Authorization", "Bearer sat.pgacct.pgtok.WrongSecret99")).isEqualTo(401);
      awaitScheme(() -> store.findToken(importedRef).orElseThrow(), CredentialHash.HMAC_SHA256);
      storedHashes(store.findToken(importedRef).orElseThrow());

      // an outage of the store: the filter answers 401, core logs a warning, metrics see the error
      store.failing = true;
      latchkey.invalidateCache();
      assertThat(get(client, base + "/x", "Authorization", "Bearer " + g)).isEqualTo(401);
      expectFailure(() -> m.rotateToken(SYSTEM, good.ref(), Rotation.immediate()));
      store.failing = false;

      // a real JDBC failure: the pool is gone
      db.dataSource().close();
      latchkey.invalidateCache();
      assertThat(get(client, base + "/x", "X-Api-Key", g)).isEqualTo(401);
      expectFailure(() -> m.issueToken(SYSTEM, NewToken.of(key, "after_close", "T")));
      expectFailure(() -> m.revokeToken(SYSTEM, good.ref()));
      expectFailure(() -> m.listTokens(SYSTEM, key, PageRequest.first()));
      value(latchkey.stats());
    } finally {
      if (server != null) {
        server.stop();
      }
      db.close();
    }
  }

  /** GET with headers (name, value, ...); records the whole response; returns its status. */
  private int get(HttpClient client, String uri, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    httpTexts.add("HTTP " + response.statusCode() + " " + response.headers().map().entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")) + "\n" + response.body());
    return response.statusCode();
  }
}
