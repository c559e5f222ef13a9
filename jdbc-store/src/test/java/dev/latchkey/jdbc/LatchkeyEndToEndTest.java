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
import dev.latchkey.Verified;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Latchkey itself over the JDBC store on PostgreSQL: one node, then two nodes sharing the database. */
class LatchkeyEndToEndTest {
  private static final Duration BOUND = Duration.ofMillis(500);
  private static final Duration SLACK = Duration.ofMillis(500);
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

  private static Latchkey node(javax.sql.DataSource dataSource) {
    return Latchkey.builder()
        .store(JdbcTokenStore.builder(dataSource).build())
        .peppers(PEPPERS)
        .tokenPrefix("acme")
        .auditListener(AuditListener.none())
        .stalenessBound(BOUND)
        .build();
  }

  @Test
  void issueVerifyRotateRevoke() {
    db.truncate();
    try (Latchkey latchkey = node(db.dataSource())) {
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
    try (HikariDataSource poolA = pool("node-a"); HikariDataSource poolB = pool("node-b");
        Latchkey a = node(poolA); Latchkey b = node(poolB)) {
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

  /** Warms node B's cache, applies the change on node A, and measures until B rejects. */
  private static long propagation(Latchkey b, TokenValue token, RejectReason expected, Runnable change) {
    for (int i = 0; i < 3; i++) {
      assertThat(b.verifier().verify(token)).as("node B before the change").isInstanceOf(Verified.class);
    }
    long start = System.nanoTime();
    change.run();
    VerificationResult result;
    do {
      result = b.verifier().verify(token);
      if (result instanceof Verified) {
        sleepMillis(5);
      }
    } while (result instanceof Verified && System.nanoTime() - start < BOUND.plus(SLACK).multipliedBy(4).toNanos());
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertThat(result).isEqualTo(Rejected.of(expected));
    assertThat(millis).as("propagation in ms").isLessThanOrEqualTo(BOUND.plus(SLACK).toMillis());
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
