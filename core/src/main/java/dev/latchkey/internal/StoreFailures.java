package dev.latchkey.internal;

import dev.latchkey.StoreException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * How a store failure is described in a log line. A {@link StoreException}'s message is the
 * store's own sanitised account (it names the operation and the database's reason, never a secret:
 * see the SPI), so it is logged, on one line and shortened, with the SQLState of its cause chain
 * when the message does not already carry it. Any other exception is logged by class name only:
 * its message may hold anything.
 */
final class StoreFailures {
  static final int MAX_MESSAGE = 300;
  private static final int MAX_CAUSES = 16;

  private StoreFailures() {}

  static String describe(Throwable e) {
    if (!(e instanceof StoreException)) {
      return e.getClass().getName();
    }
    StringBuilder sb = new StringBuilder(e.getClass().getName());
    String message = e.getMessage();
    if (message != null && !message.isEmpty()) {
      sb.append(": ").append(oneLine(message));
    }
    String state = sqlState(e);
    if (state != null && (message == null || !message.contains(state))) {
      sb.append(" [SQLState ").append(oneLine(state)).append(']');
    }
    return sb.toString();
  }

  /** The first SQLState in the cause chain, or null. */
  static @Nullable String sqlState(Throwable e) {
    Throwable t = e;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /** Control characters become spaces (no forged log lines), and the text is capped. */
  private static String oneLine(String s) {
    int n = Math.min(s.length(), MAX_MESSAGE);
    StringBuilder sb = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (s.length() > MAX_MESSAGE) {
      sb.append("...");
    }
    return sb.toString();
  }
}
