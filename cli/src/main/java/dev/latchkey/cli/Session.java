package dev.latchkey.cli;

import dev.latchkey.Actor;
import dev.latchkey.AuditListener;
import dev.latchkey.Latchkey;
import dev.latchkey.Limits;
import dev.latchkey.PepperKeyset;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenVerifier;
import dev.latchkey.jdbc.JdbcSchema;
import dev.latchkey.jdbc.JdbcTokenStore;
import java.time.Clock;
import java.time.Instant;

/**
 * One command's connection to Latchkey: the database opened (its schema created or upgraded with
 * {@link JdbcSchema#migrate}), a {@link Latchkey} over it, and the actor the command runs as.
 * Everything is closed when the command ends.
 */
final class Session implements AutoCloseable {
  /** Everything needed to open a session, validated before any database is touched. */
  record Config(Database database, TokenFormat format, Limits limits, Actor actor, Clock clock, AuditListener audit) {}

  private final Config config;
  private final PepperKeyset peppers;
  private final Database.Connected connected;
  private final Latchkey latchkey;

  private Session(Config config, PepperKeyset peppers, Database.Connected connected, Latchkey latchkey) {
    this.config = config;
    this.peppers = peppers;
    this.connected = connected;
    this.latchkey = latchkey;
  }

  static Session open(Config config, PepperKeyset peppers) {
    Database.Connected connected = config.database().connect();
    try {
      JdbcSchema.migrate(connected.dataSource(), config.database().dialect());
      JdbcTokenStore store = JdbcTokenStore.builder(connected.dataSource())
          .dialect(config.database().dialect())
          .clock(config.clock())
          .build();
      Latchkey latchkey = Latchkey.builder()
          .store(store)
          .peppers(peppers)
          .format(config.format())
          .limits(config.limits())
          .clock(config.clock())
          .auditListener(config.audit())
          .build();
      return new Session(config, peppers, connected, latchkey);
    } catch (RuntimeException e) {
      try {
        connected.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  TokenManager manager() {
    return latchkey.manager();
  }

  TokenVerifier verifier() {
    return latchkey.verifier();
  }

  Latchkey latchkey() {
    return latchkey;
  }

  /** The keyset in use (for version listings; never printed). */
  PepperKeyset peppers() {
    return peppers;
  }

  Actor actor() {
    return config.actor();
  }

  Instant now() {
    return config.clock().instant();
  }

  @Override
  public void close() {
    try {
      latchkey.close();
    } finally {
      connected.close();
    }
  }
}
