package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.Expiration;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.Verified;
import dev.latchkey.memory.MemoryTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The default configuration (Authorization: Bearer only) against a real Latchkey, over real HTTP. */
class LatchkeyFilterTest {
  private static Fixture fixture;
  private static RecordingVerifier verifier;
  private static TestServer server;
  private static Fixture.Issued bot;

  private ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() {
    fixture = new Fixture();
    verifier = new RecordingVerifier(fixture.latchkey.verifier());
    server = TestServer.start(LatchkeyFilter.builder(verifier).build());
    bot = fixture.serviceAccount("ci_bot", Set.of("deployer"), Set.of("deploy"));
  }

  @AfterAll
  static void stop() {
    server.close();
    fixture.close();
  }

  @BeforeEach
  void captureLogs() {
    verifier.clear();
    fixture.storeDown.set(false);
    logs = new ListAppender<>();
    logs.start();
    root().addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root().detachAppender(logs);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private List<String> logLines() {
    List<String> lines = new ArrayList<>();
    synchronized (logs) {
      for (ILoggingEvent e : logs.list) {
        lines.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
      }
    }
    return lines;
  }

  private RejectReason lastReason() {
    return ((Rejected) verifier.lastResult()).reason();
  }

  // ---- success

  @Test
  void validTokenAuthenticatesTheRequest() {
    Reply reply = server.bearer("/deploy/now", bot.token());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.echoed())
        .containsEntry("principal", "acme/sa/ci_bot")
        .containsEntry("principalClass", "LatchkeyPrincipal")
        .containsEntry("remoteUser", "acme/sa/ci_bot")
        .containsEntry("authType", "Bearer")
        .containsEntry("role.deployer", "true")
        .containsEntry("role.admin", "false")
        .containsEntry("role.any", "true")
        .containsEntry("permission.deploy", "true")
        .containsEntry("permission.admin", "false")
        .containsEntry("permission.deployer", "false") // its role is not a permission
        .containsEntry("role.deploy", "false")         // nor its permission a role
        .containsEntry("verified.token", bot.ref().toString())
        .containsEntry("path", "/deploy/now");
    assertThat(verifier.presented()).containsExactly(bot.token());
    assertThat(verifier.lastResult()).isInstanceOf(Verified.class);
  }

  @Test
  void schemeIsCaseInsensitive() {
    for (String scheme : List.of("bearer", "BEARER", "bEaReR")) {
      Reply reply = server.get("/", "Authorization", scheme + " " + bot.token());
      assertThat(reply.status()).as(scheme).isEqualTo(200);
      assertThat(reply.echoed()).containsEntry("principal", "acme/sa/ci_bot");
    }
  }

  @Test
  void severalSpacesAfterTheSchemeAreSkippedAndTheTokenIsPassedUnchanged() {
    Reply reply = server.get("/", "Authorization", "Bearer     " + bot.token());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(verifier.presented()).containsExactly(bot.token());
  }

  // ---- no credential

  @Test
  void missingCredentialGetsABareChallenge() {
    Reply reply = server.get("/");

    Expect.missing(reply);
    assertThat(verifier.calls()).isZero();
    assertThat(logLines()).anyMatch(l -> l.startsWith("DEBUG") && l.contains("MISSING"));
  }

  @Test
  void anotherAuthorizationSchemeCountsAsNoCredential() {
    Expect.missing(server.get("/", "Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
    Expect.missing(server.get("/", "Authorization", "Bearerx " + bot.token()));
    assertThat(verifier.calls()).isZero();
  }

  // ---- presented but not valid: one answer for every reason

  @Test
  void emptyBearerTokenIsInvalid() {
    Expect.invalidToken(server.get("/", "Authorization", "Bearer"));
    assertThat(lastReason()).isEqualTo(RejectReason.MALFORMED);
  }

  @Test
  void malformedToken() {
    String token = bot.token();
    String tampered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

    Expect.invalidToken(server.bearer("/", tampered), tampered, token);
    assertThat(lastReason()).isEqualTo(RejectReason.MALFORMED);
  }

  @Test
  void tokenIsNeverTrimmedOrCaseFolded() {
    String token = bot.token();
    Expect.invalidToken(server.bearer("/", token + " x"), token);
    assertThat(verifier.presented()).containsExactly(token + " x");
    Expect.invalidToken(server.get("/", "Authorization", "Bearer \t" + token), token);
    assertThat(verifier.presented()).last().isEqualTo("\t" + token);
    Expect.invalidToken(server.get("/", "Authorization", "Bearer\t" + token), token);
    assertThat(verifier.presented()).last().isEqualTo("\t" + token);
    String upper = token.toUpperCase(java.util.Locale.ROOT);
    Expect.invalidToken(server.bearer("/", upper), token, upper);
    assertThat(verifier.presented()).last().isEqualTo(upper);
  }

  @Test
  void unknownLookupId() {
    // Well-formed, right prefix and checksum, but issued by another Latchkey: this store never saw its id.
    String foreign;
    try (Latchkey other = Latchkey.builder().store(new MemoryTokenStore())
        .peppers(PepperKeyset.generate(new SecureRandom())).tokenPrefix(Fixture.PREFIX).build()) {
      TokenManager manager = other.manager();
      manager.createAccount(Fixture.SYSTEM, "acme", "Acme");
      var sa = manager.createServiceAccount(Fixture.SYSTEM, NewServiceAccount.of(Scope.account("acme"), "ci_bot", "Bot"));
      var key = manager.createApiKey(Fixture.SYSTEM, NewApiKey.of(sa.ref(), "k", "K"));
      foreign = manager.issueToken(Fixture.SYSTEM, NewToken.of(key.ref(), "t", "T")).value().reveal();
    }

    Expect.invalidToken(server.bearer("/", foreign), foreign);
    assertThat(lastReason()).isEqualTo(RejectReason.UNKNOWN);
  }

  @Test
  void expiredToken() {
    Fixture.Issued shortLived = fixture.issue(bot.principal(), Expiration.after(Duration.ofMinutes(10)));
    assertThat(server.bearer("/", shortLived.token()).status()).isEqualTo(200);

    fixture.clock.advance(Duration.ofMinutes(11));

    Expect.invalidToken(server.bearer("/", shortLived.token()), shortLived.token());
    assertThat(lastReason()).isEqualTo(RejectReason.EXPIRED);
  }

  @Test
  void revokedToken() {
    Fixture.Issued issued = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    assertThat(server.bearer("/", issued.token()).status()).isEqualTo(200);

    fixture.admin.revokeToken(Fixture.SYSTEM, issued.ref());

    Expect.invalidToken(server.bearer("/", issued.token()), issued.token());
    assertThat(lastReason()).isEqualTo(RejectReason.REVOKED);
  }

  @Test
  void deletedToken() {
    Fixture.Issued issued = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    assertThat(server.bearer("/", issued.token()).status()).isEqualTo(200);

    fixture.admin.deleteToken(Fixture.SYSTEM, issued.ref());

    Expect.invalidToken(server.bearer("/", issued.token()), issued.token());
    assertThat(lastReason()).isEqualTo(RejectReason.UNKNOWN);
  }

  @Test
  void disabledPrincipal() {
    Fixture.Issued other = fixture.serviceAccount(Set.of(), Set.of());
    assertThat(server.bearer("/", other.token()).status()).isEqualTo(200);

    fixture.admin.setEnabled(Fixture.SYSTEM, other.principal(), false);
    Expect.invalidToken(server.bearer("/", other.token()), other.token());
    assertThat(lastReason()).isEqualTo(RejectReason.DISABLED);

    fixture.admin.setEnabled(Fixture.SYSTEM, other.principal(), true);
    assertThat(server.bearer("/", other.token()).status()).isEqualTo(200);
  }

  @Test
  void deletedPrincipal() {
    Fixture.Issued other = fixture.serviceAccount(Set.of(), Set.of());
    assertThat(server.bearer("/", other.token()).status()).isEqualTo(200);

    fixture.admin.deletePrincipal(Fixture.SYSTEM, other.principal());

    Expect.invalidToken(server.bearer("/", other.token()), other.token());
    assertThat(verifier.lastResult()).isInstanceOf(Rejected.class);
  }

  @Test
  void rotatedTokenOldSecretWorksWithinGraceAndNotAfter() {
    Fixture.Issued issued = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    var rotated = fixture.admin.rotateToken(Fixture.SYSTEM, issued.ref(), Rotation.withGrace(Duration.ofMinutes(5)));
    String oldToken = issued.token();
    String newToken = rotated.value().reveal();

    assertThat(server.bearer("/", oldToken).status()).isEqualTo(200);
    assertThat(server.bearer("/", newToken).status()).isEqualTo(200);

    fixture.clock.advance(Duration.ofMinutes(6));

    Expect.invalidToken(server.bearer("/", oldToken), oldToken, newToken);
    assertThat(lastReason()).isEqualTo(RejectReason.BAD_SECRET);
    assertThat(server.bearer("/", newToken).status()).isEqualTo(200);
  }

  @Test
  void rotatedWithoutGrace() {
    Fixture.Issued issued = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    fixture.admin.rotateToken(Fixture.SYSTEM, issued.ref(), Rotation.immediate());

    Expect.invalidToken(server.bearer("/", issued.token()), issued.token());
    assertThat(lastReason()).isEqualTo(RejectReason.BAD_SECRET);
  }

  @Test
  void storeOutageFailsClosedWithTheSameAnswer() {
    Fixture.Issued issued = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    fixture.latchkey.invalidateCache();
    fixture.storeDown.set(true);

    Expect.invalidToken(server.bearer("/", issued.token()), issued.token());
    assertThat(lastReason()).isEqualTo(RejectReason.STORE_ERROR);

    fixture.storeDown.set(false);
    assertThat(server.bearer("/", issued.token()).status()).isEqualTo(200);
  }

  @Test
  void everyRealRejectionIsByteIdentical() {
    Fixture.Issued revoked = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    fixture.admin.revokeToken(Fixture.SYSTEM, revoked.ref());
    Fixture.Issued expired = fixture.issue(bot.principal(), Expiration.after(Duration.ofMinutes(1)));
    Fixture.Issued rotated = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    fixture.admin.rotateToken(Fixture.SYSTEM, rotated.ref(), Rotation.immediate());
    fixture.clock.advance(Duration.ofMinutes(2));
    String malformed = "acme_sat_" + "x".repeat(20);

    List<Reply> replies = List.of(
        server.bearer("/", malformed),
        server.bearer("/", revoked.token()),
        server.bearer("/", expired.token()),
        server.bearer("/", rotated.token()),
        server.get("/", "Authorization", "Bearer"));

    for (Reply r : replies) {
      Expect.invalidToken(r, bot.token(), revoked.token(), expired.token(), rotated.token());
      assertThat(r.body()).isEqualTo(replies.get(0).body());
      assertThat(withoutDate(r)).isEqualTo(withoutDate(replies.get(0)));
    }
  }

  private static java.util.Map<String, List<String>> withoutDate(Reply r) {
    java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(r.headers());
    headers.remove("date");
    return headers;
  }

  // ---- ambiguity and limits (what HttpClient can send; raw bytes are in RawHttpTest)

  @Test
  void anApiKeyHeaderIsIgnoredWhenThatSourceIsDisabled() {
    assertThat(server.get("/", "X-Api-Key", bot.token()).status()).isEqualTo(401);
    assertThat(verifier.calls()).isZero();
  }

  @Test
  void headerOverTheCapIsRejectedWithoutCallingTheVerifier() {
    String padded = "Bearer " + " ".repeat(LatchkeyFilter.DEFAULT_MAX_HEADER_LENGTH) + bot.token();
    // Jetty's default connector would refuse this itself (431); the large-header one lets the filter see it.
    Reply reply = TestServer.raw(server.largeHeaderPort(), "/", "Authorization: " + padded);

    Expect.invalidToken(reply, bot.token());
    assertThat(verifier.calls()).isZero();
  }

  // ---- logging

  @Test
  void rejectionsAreLoggedAtDebugWithTheReasonButNeverTheToken() {
    Fixture.Issued revoked = fixture.issue(bot.principal(), Expiration.defaultLifetime());
    fixture.admin.revokeToken(Fixture.SYSTEM, revoked.ref());

    server.bearer("/", revoked.token());
    TestServer.raw(server.port(), "/", "Authorization: Bearer " + bot.token(), "Authorization: Bearer " + revoked.token());

    List<String> lines = logLines();
    assertThat(lines).anyMatch(l -> l.startsWith("DEBUG dev.latchkey.servlet.LatchkeyFilter") && l.contains("REVOKED"));
    assertThat(lines).anyMatch(l -> l.startsWith("DEBUG") && l.contains("DUPLICATE_AUTHORIZATION_HEADER"));
    for (String token : List.of(revoked.token(), bot.token())) {
      assertThat(lines).noneMatch(l -> l.contains(token));
      assertThat(lines).noneMatch(l -> l.contains(token.substring(token.length() - 49)));
    }
  }
}
