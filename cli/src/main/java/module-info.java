/**
 * The operator command-line tool. Exports nothing: it is an application. Its package is open to
 * picocli, which reads the command classes' annotations and fields reflectively. The two JDBC
 * drivers are automatic modules (they have no module descriptor). Jetty and the web module serve
 * {@code latchkey console}.
 */
@SuppressWarnings("requires-automatic")
module dev.latchkey.cli {
  opens dev.latchkey.cli to info.picocli;

  requires dev.latchkey;
  requires dev.latchkey.jdbc;
  requires dev.latchkey.web;
  requires info.picocli;
  requires java.naming; // the drivers' DataSource classes implement javax.naming.Referenceable
  requires java.sql;
  requires com.h2database;
  requires org.postgresql.jdbc;
  requires jakarta.servlet;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.ee10.servlet;
  requires static org.jspecify;
}
