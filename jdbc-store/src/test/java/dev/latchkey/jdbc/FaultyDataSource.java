package dev.latchkey.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a real {@link DataSource} and injects faults, for tests. Every statement execution and every
 * commit is a numbered step; when armed, step N either fails with an {@link SQLException} or first
 * kills the physical connection (the database then rolls the transaction back) and lets the real
 * driver fail on it. The whole source can also be switched "down" (no connection can be opened).
 */
final class FaultyDataSource implements DataSource {
  enum Fault {
    /** Step N throws before reaching the database. */
    FAIL_STATEMENT,
    /** Step N kills the connection, then runs against the dead connection. */
    DROP_CONNECTION
  }

  /** Kills a physical connection so that the database rolls back its open transaction. */
  @FunctionalInterface
  interface ConnectionKiller {
    void kill(Connection physical) throws SQLException;
  }

  private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch",
      "executeLargeUpdate", "executeLargeBatch");

  private final DataSource delegate;
  private final ConnectionKiller killer;
  private final AtomicInteger steps = new AtomicInteger();
  private volatile Fault fault;
  private volatile int failAt;
  private volatile boolean down;
  private volatile boolean fired;

  FaultyDataSource(DataSource delegate, ConnectionKiller killer) {
    this.delegate = delegate;
    this.killer = killer;
  }

  /** Arms a fault at step {@code n} (1-based) counted from now. */
  void arm(Fault fault, int n) {
    steps.set(0);
    fired = false;
    this.failAt = n;
    this.fault = fault;
  }

  void disarm() {
    fault = null;
  }

  /** Starts counting steps from zero without arming a fault. */
  void resetCount() {
    steps.set(0);
  }

  int steps() {
    return steps.get();
  }

  boolean fired() {
    return fired;
  }

  void setDown(boolean down) {
    this.down = down;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (down) {
      throw new SQLException("Connection refused (injected: database down)", "08001");
    }
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    if (down) {
      throw new SQLException("Connection refused (injected: database down)", "08001");
    }
    return wrap(delegate.getConnection(username, password));
  }

  private void step(Connection physical) throws SQLException {
    int n = steps.incrementAndGet();
    Fault f = fault;
    if (f == null || n != failAt) {
      return;
    }
    fired = true;
    if (f == Fault.FAIL_STATEMENT) {
      throw new SQLException("injected fault at step " + n, "08006");
    }
    killer.kill(physical);
  }

  private Connection wrap(Connection physical) {
    InvocationHandler h = (proxy, method, args) -> {
      String name = method.getName();
      if (name.equals("commit")) {
        step(physical);
      }
      Object result = invoke(physical, method, args);
      if (result instanceof Statement s && (name.equals("prepareStatement") || name.equals("createStatement"))) {
        return wrapStatement(physical, s, method.getReturnType());
      }
      return result;
    };
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  private Object wrapStatement(Connection physical, Statement statement, Class<?> type) {
    InvocationHandler h = (proxy, method, args) -> {
      if (EXECUTE.contains(method.getName())) {
        step(physical);
      }
      return invoke(statement, method, args);
    };
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
