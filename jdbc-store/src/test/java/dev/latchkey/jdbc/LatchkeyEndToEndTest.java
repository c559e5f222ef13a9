package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.AuditListener;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.Principal;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenValue;
import dev.latchkey.VerificationResult;
import dev.latchkey.VerificationStats;
import dev.latchkey.Verified;
import dev.latchkey.testsupport.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Latchkey itself over the JDBC store on PostgreSQL: one node, then two nodes sharing the database.
 *
 * <p>The two-node test proves that node B learns of node A's changes through the change feed in
 * PostgreSQL, within the staleness bound. Both nodes read one injected clock that stands still, and
 * the staleness rule and entry lifetimes are measured on it, so B's cached entries cannot age out:
 * B starts rejecting only when its poller invalidates the entry, and its counters must show the
 * poll that applied the change. The poller runs on real time twice per bound, so the real time from
 * the change until B rejects must be at most the bound, with no extra slack.
 */
class LatchkeyEndToEndTest {
  private static final Duration BOUND = Duration.ofMillis(500);
  private static final PepperKeyset PEPPERS = PepperKeyset.generate(new SecureRandom());
  private static TestDatabase db;

  @BeforeAll
  static void open() {
    db = TestDatabase.postgres().migrated();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static Latchkey node(javax.sql.DataSource dataSource, Clock clock) {
    return Latchkey.builder()
        .store(JdbcTokenStore.builder(dataSource).clock(clock).build())
        .peppers(PEPPERS)
        .tokenPrefix("acme")
        .clock(clock)
        .auditListener(AuditListener.none())
        .stalenessBound(BOUND)
        .build();
  }

  @Test
  void issueVerifyRotateRevoke() {
    db.truncate();
    try (Latchkey latchkey = node(db.dataSource(), Clock.systemUTC())) {
      TokenManager admin = latchkey.manager();
      Actor system = Actor.system();
      admin.createAccount(system, "acme", "Acme Inc.");
      Principal bot = admin.createServiceAccount(system,
          NewServiceAccount.of(Scope.account("acme"), "ci_bot", "CI bot").withPermissions(Set.of("deploy")));
      ApiKey key = admin.createApiKey(system, NewApiKey.of(bot.ref(), "ci_key", "CI key"));
      IssuedToken issued = admin.issueToken(system, NewToken.of(key.ref(), "pipeline", "Pipeline"));

      VerificationResult result = latchkey.verifier().verify(issued.value());
      assertThat(result).isInstanceOf(Verified.class);
      assertThat(((Verified) result).principal()).isEqualTo(bot.ref());
      assertThat(((Verified) result).permissions()).containsExactly("deploy");

      IssuedToken rotated = admin.rotateToken(system, issued.ref(), Rotation.withGrace(Duration.ofMinutes(5)));
      assertThat(latchkey.verifier().verify(rotated.value())).isInstanceOf(Verified.class);
      assertThat(latchkey.verifier().verify(issued.value())).as("old secret in its grace period")
          .isInstanceOf(Verified.class);

      admin.revokeToken(system, rotated.ref());
      assertThat(latchkey.verifier().verify(rotated.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
      // revoking ends the grace period: the old secret no longer matches anything, which the verifier
      // checks before the status
      assertThat(latchkey.verifier().verify(issued.value())).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));

      admin.deleteToken(system, rotated.ref());
      assertThat(latchkey.verifier().verify(rotated.value())).isEqualTo(Rejected.of(RejectReason.UNKNOWN));

      String everything = TableDump.of(db.dataSource()).toString();
      for (TokenValue v : new TokenValue[] {issued.value(), rotated.value()}) {
        String secret = secretOf(latchkey, v);
        assertThat(everything).doesNotContain(v.reveal()).doesNotContain(secret);
      }
    }
  }

  @Test
  void aRevocationOnOneNodeReachesAnotherWithinTheStalenessBound() {
    db.truncate();
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z")); // stands still
    try (HikariDataSource poolA = pool("node-a"); HikariDataSource poolB = pool("node-b");
        Latchkey a = node(poolA, clock); Latchkey b = node(poolB, clock)) {
      TokenManager admin = a.manager();
      Actor system = Actor.system();
      admin.createAccount(system, "acme", "Acme Inc.");
      Principal bot = admin.createServiceAccount(system,
          NewServiceAccount.of(Scope.account("acme"), "bot", "Bot").withPermissions(Set.of("deploy")));
      ApiKey key = admin.createApiKey(system, NewApiKey.of(bot.ref(), "k", "Key"));

      IssuedToken revoked = admin.issueToken(system, NewToken.of(key.ref(), "revoked", "Revoked"));
      long revoke = propagation(b, revoked.value(), RejectReason.REVOKED,
          () -> admin.revokeToken(system, revoked.ref()));

      IssuedToken rotated = admin.issueToken(system, NewToken.of(key.ref(), "rotated", "Rotated"));
      long rotate = propagation(b, rotated.value(), RejectReason.BAD_SECRET,
          () -> admin.rotateToken(system, rotated.ref(), Rotation.immediate()));

      IssuedToken deleted = admin.issueToken(system, NewToken.of(key.ref(), "deleted", "Deleted"));
      long delete = propagation(b, deleted.value(), RejectReason.UNKNOWN,
          () -> admin.deleteToken(system, deleted.ref()));

      IssuedToken disabled = admin.issueToken(system, NewToken.of(key.ref(), "disabled", "Disabled"));
      long disable = propagation(b, disabled.value(), RejectReason.DISABLED,
          () -> admin.setEnabled(system, bot.ref(), false));

      System.out.printf("cross-node propagation on PostgreSQL (staleness bound %d ms): revoke %d ms, rotate %d ms,"
          + " delete %d ms, disable %d ms%n", BOUND.toMillis(), revoke, rotate, delete, disable);
    }
  }

  /**
   * Warms node B's cache, applies the change on node A, and verifies on B until it rejects or the
   * bound has passed; asserts that B rejected, within the bound, after its poller applied a change.
   */
  private static long propagation(Latchkey b, TokenValue token, RejectReason expected, Runnable change) {
    b.pollChanges(); // whatever the setup put in the feed: from here on, a poll can only bring the change
    for (int i = 0; i < 3; i++) {
      assertThat(b.verifier().verify(token)).as("node B before the change").isInstanceOf(Verified.class);
    }
    VerificationStats before = b.stats();
    long start = System.nanoTime();
    change.run();
    VerificationResult result = b.verifier().verify(token);
    while (result instanceof Verified && System.nanoTime() - start <= BOUND.toNanos()) {
      sleepMillis(1);
      result = b.verifier().verify(token);
    }
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    long applied = b.stats().changesApplied() - before.changesApplied();
    assertThat(result).as("node B's answer within the staleness bound (%d ms), after %d ms, with %d change(s)"
        + " applied by its poller", BOUND.toMillis(), millis, applied).isEqualTo(Rejected.of(expected));
    assertThat(applied).as("changes node B's poller applied").isPositive();
    return millis;
  }

  private static HikariDataSource pool(String name) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(db.dataSource());
    config.setMaximumPoolSize(4);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  private static String secretOf(Latchkey latchkey, TokenValue value) {
    int start = latchkey.format().prefix().length() + 1 + 3 + 1 + dev.latchkey.TokenFormat.ID_LENGTH + 1;
    return value.reveal().substring(start, start + dev.latchkey.TokenFormat.SECRET_LENGTH);
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
