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
import dev.latchkey.spi.TokenStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * One command's connection to Latchkey: the database opened (its schema created or upgraded with
 * {@link JdbcSchema#migrate}) and the actor the command runs as. A full session has a {@link
 * Latchkey} over the store (which needs the pepper keyset); a reading session, for the system
 * actor's list and get commands, has only the store. Everything is closed when the command ends.
 */
final class Session implements AutoCloseable {
  /**
   * Everything needed to open a session, validated before any database is touched.
   *
   * @param zone the time zone in which a calendar date given to {@code --expires} ends
   * @param err where notices go (a database folder whose permissions were tightened)
   */
  record Config(Database database, TokenFormat format, Limits limits, Actor actor, Clock clock, ZoneId zone,
      AuditListener audit, PrintWriter err) {}

  private final Config config;
  private final PepperKeyset peppers;
  private final Database.Connected connected;
  private final Latchkey latchkey;
  private final Reads reads;

  private Session(Config config, PepperKeyset peppers, Database.Connected connected, Latchkey latchkey, Reads reads) {
    this.config = config;
    this.peppers = peppers;
    this.connected = connected;
    this.latchkey = latchkey;
    this.reads = reads;
  }

  /**
   * A full session. With {@code recordLastUsed} false, verifications made in it do not update the
   * tokens' last-used times (an operator checking a token is not a use of it).
   */
  static Session open(Config config, PepperKeyset peppers, boolean recordLastUsed) {
    Database.Connected connected = config.database().connect(config.err());
    try {
      TokenStore store = store(config, connected);
      Latchkey latchkey = Latchkey.builder()
          .store(recordLastUsed ? store : withoutLastUsed(store))
          .peppers(peppers)
          .format(config.format())
          .limits(config.limits())
          .clock(config.clock())
          .auditListener(config.audit())
          .build();
      return new Session(config, peppers, connected, latchkey, Reads.through(latchkey.manager(), config.actor()));
    } catch (RuntimeException e) {
      closeAfterFailure(connected, e);
      throw e;
    }
  }

  /**
   * A session that only reads, as the system actor: the store without a {@link Latchkey}, so no
   * pepper keyset is needed (building a {@code Latchkey} checks the keyset against the store and
   * records its key-check values, which a read must neither need nor do).
   */
  static Session openForReading(Config config) {
    if (!config.actor().isSystem()) {
      throw new IllegalArgumentException("reading without the access policy is for the system actor only");
    }
    Database.Connected connected = config.database().connect(config.err());
    try {
      return new Session(config, null, connected, null, Reads.systemFrom(store(config, connected)));
    } catch (RuntimeException e) {
      closeAfterFailure(connected, e);
      throw e;
    }
  }

  private static TokenStore store(Config config, Database.Connected connected) {
    JdbcSchema.migrate(connected.dataSource(), config.database().dialect());
    return JdbcTokenStore.builder(connected.dataSource())
        .dialect(config.database().dialect())
        .clock(config.clock())
        .build();
  }

  /**
   * The store without its optional last-used sink ({@link TokenStore#lastUsedSink()} answers empty),
   * so Latchkey notes no use at all. A proxy rather than a hand-written delegate so that methods the
   * store SPI gains later are forwarded without a change here.
   */
  private static TokenStore withoutLastUsed(TokenStore store) {
    return (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(), new Class<?>[] {TokenStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("lastUsedSink")) {
            return Optional.empty();
          }
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "TokenStore[without last-used: " + store + "]";
            };
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause(); // the store's own exception, unwrapped
          }
        });
  }

  private static void closeAfterFailure(Database.Connected connected, RuntimeException e) {
    try {
      connected.close();
    } catch (RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  /** What list and get commands read through: the access policy for {@code --as}, else the store. */
  Reads reads() {
    return reads;
  }

  TokenManager manager() {
    return full().manager();
  }

  TokenVerifier verifier() {
    return full().verifier();
  }

  Latchkey latchkey() {
    return full();
  }

  /** The keyset in use (for version listings; never printed). */
  PepperKeyset peppers() {
    full();
    return peppers;
  }

  Actor actor() {
    return config.actor();
  }

  Instant now() {
    return config.clock().instant();
  }

  private Latchkey full() {
    if (latchkey == null) {
      throw new IllegalStateException("a reading session has no Latchkey; the command must not be read-only");
    }
    return latchkey;
  }

  @Override
  public void close() {
    try {
      if (latchkey != null) {
        latchkey.close();
      }
    } finally {
      connected.close();
    }
  }
}
