package dev.latchkey.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of every logger at TRACE while open (Logback's root logger). Needs
 * {@code ch.qos.logback:logback-classic} on the test class path (this module declares it optional).
 */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level previous;

  public LogCapture() {
    previous = root.getLevel();
    root.setLevel(Level.TRACE);
    appender.start();
    root.addAppender(appender);
  }

  /** Each event as one string: logger, level, formatted message, raw arguments, stack trace. */
  public List<String> lines() {
    return List.copyOf(appender.list).stream().map(e -> e.getLoggerName() + " " + e.getLevel() + " "
            + e.getFormattedMessage() + " " + Arrays.toString(e.getArgumentArray())
            + (e.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .collect(Collectors.toList());
  }

  public String all() {
    return String.join("\n", lines());
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(previous);
    appender.stop();
  }
}
