package dev.latchkey.jdbc;

import dev.latchkey.spi.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} wake-ups for the change feed (opt-in: {@link
 * JdbcTokenStore.Builder#notifyWakeUps}). Two halves:
 *
 * <ul>
 *   <li><b>Send.</b> {@link ChangeLog#append} calls {@link #notify(Connection, long)} in the same
 *       transaction as the feed rows: PostgreSQL delivers a notification only when its transaction
 *       commits, so a listener is never woken for a change it cannot read yet, and a rollback sends
 *       nothing. The appends are already serialized by the counter row, so the commit-time lock of
 *       PostgreSQL's notification queue adds no contention.
 *   <li><b>Listen.</b> While at least one reader has {@link #subscribe subscribed}, one daemon thread
 *       holds one connection of its own from the listen {@link DataSource} (not the store's pool: a
 *       listening connection is never returned), runs {@code LISTEN}, and calls the subscribers on
 *       every notification, and once after every (re)connection, since notifications sent while it
 *       was not listening are lost.
 * </ul>
 *
 * <p>The feed stays the source of truth: this only makes readers poll sooner. A lost connection is
 * logged once (WARN) and re-opened with exponential backoff ({@value #FIRST_BACKOFF_MILLIS} ms
 * doubling to {@value #MAX_BACKOFF_MILLIS} ms, with jitter); its return is logged at INFO. A server
 * that refuses {@code LISTEN} (a hot standby: SQLState 25006) or a connection that is not
 * PostgreSQL's ends the listening for good, with one WARN; readers go on polling. A pooler in
 * transaction mode (PgBouncer) accepts {@code LISTEN} and then delivers nothing, which costs only
 * latency.
 */
final class PgWakeUps {
  private static final Logger log = LoggerFactory.getLogger(PgWakeUps.class);

  /** The notification channel. The payload is the newest sequence of the transaction (not secret). */
  static final String CHANNEL = "latchkey_change";
  private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', ?)";
  static final String APPLICATION_NAME = "latchkey-change-listener";
  static final long FIRST_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 10_000;
  /** How long one wait for notifications blocks before checking whether to stop. */
  private static final int WAIT_MILLIS = 500;

  private final DataSource listenSource;
  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
  private Thread thread; // guarded by this
  private volatile Connection listening;
  private volatile boolean refused;

  PgWakeUps(DataSource listenSource) {
    this.listenSource = listenSource;
  }

  /** Part of the appending transaction: the notification goes out when it commits. */
  static void notify(Connection c, long newestSequence) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
      ps.setString(1, Long.toString(newestSequence));
      ps.execute();
    }
  }

  ChangeFeed.Subscription subscribe(Runnable wakeUp) {
    synchronized (this) {
      subscribers.add(wakeUp);
      if (thread == null && !refused) {
        Thread t = new Thread(this::run, "latchkey-change-listener");
        t.setDaemon(true);
        thread = t;
        t.start();
      }
    }
    return () -> unsubscribe(wakeUp);
  }

  private void unsubscribe(Runnable wakeUp) {
    Thread stopping;
    synchronized (this) {
      if (!subscribers.remove(wakeUp) || !subscribers.isEmpty() || thread == null) {
        return;
      }
      stopping = thread;
      thread = null;
    }
    stopping.interrupt();
    closeQuietly(listening); // unblocks a wait on the socket
    try {
      stopping.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the server refused to listen, so that readers only poll. For tests and operators. */
  boolean refused() {
    return refused;
  }

  private synchronized boolean keepRunning(Thread me) {
    return thread == me && !me.isInterrupted();
  }

  private void run() {
    Thread me = Thread.currentThread();
    long backoff = FIRST_BACKOFF_MILLIS;
    int failures = 0;
    while (keepRunning(me)) {
      Connection c = null;
      try {
        c = listenSource.getConnection();
        PGConnection pg = listen(c);
        if (pg == null) {
          return; // refused: logged, readers poll
        }
        listening = c;
        if (!keepRunning(me)) {
          return;
        }
        if (failures > 0) {
          log.info("change-feed wake-ups: listening again after {} failed attempt(s)", failures);
        }
        failures = 0;
        backoff = FIRST_BACKOFF_MILLIS;
        wakeAll(); // what was committed while nobody listened
        while (keepRunning(me)) {
          PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
          if (received != null && received.length > 0) {
            wakeAll();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!keepRunning(me)) {
          return;
        }
        failures++;
        if (failures == 1) {
          log.warn("change-feed wake-ups: the listening connection failed; readers poll on schedule meanwhile,"
              + " reconnecting with backoff: {}", describe(e));
        }
        if (!sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1))) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      } finally {
        listening = null;
        closeQuietly(c);
      }
    }
  }

  /**
   * Starts listening on {@code c}; null, after one WARN, when the server refuses or {@code c} is not
   * a PostgreSQL connection. A failure of the connection itself is thrown, to be retried.
   */
  private PGConnection listen(Connection c) throws SQLException {
    PGConnection pg;
    try {
      pg = c.unwrap(PGConnection.class);
    } catch (SQLException e) {
      return refuse("the listen DataSource does not give PostgreSQL connections", e);
    }
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true); // LISTEN takes effect at commit
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET application_name = '" + APPLICATION_NAME + "'");
      s.execute("LISTEN " + CHANNEL);
    } catch (SQLException e) {
      if (isConnectionFailure(e)) {
        throw e;
      }
      return refuse("the server refused LISTEN", e);
    }
    return pg;
  }

  private PGConnection refuse(String what, SQLException e) {
    refused = true;
    log.warn("change-feed wake-ups off: {} ({}); readers poll on schedule only", what, describe(e));
    return null;
  }

  /** Class 08 (connection exception) and 57P0x (server shutting down, backend terminated). */
  private static boolean isConnectionFailure(SQLException e) {
    String state = SqlStates.sqlState(e);
    return state == null || state.startsWith("08") || state.startsWith("57P");
  }

  private void wakeAll() {
    for (Runnable r : subscribers) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.debug("a change-feed wake-up subscriber failed", e);
      }
    }
  }

  private static String describe(Exception e) {
    return e instanceof SQLException s ? SqlStates.describe(s) : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // the connection is being discarded
    }
  }
}
