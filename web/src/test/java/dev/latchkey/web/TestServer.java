package dev.latchkey.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 on 127.0.0.1 and an ephemeral port, playing the host application: web
 * application {@code /app} with HTTP sessions, a sign-in at {@code /app/login?as=<principal ref or
 * system>} (what a real application's login form does: a new session holding the user), a filter
 * that exposes the signed-in user as the request's user principal (as a container's security does),
 * and the module's servlet at {@code /app/latchkey/*}. The servlet is swapped per test (each test
 * builds its own Latchkey), so one server serves a whole test class.
 */
final class TestServer implements AutoCloseable {
  static final String CONTEXT = "/app";
  static final String MOUNT = "/latchkey";
  static final String USER_ATTRIBUTE = "test.signed-in-user";

  private final Server server;
  private final ServerConnector connector;
  private volatile HttpServlet delegate;

  private TestServer() {
    server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath(CONTEXT);
    context.addFilter(new FilterHolder((Filter) (request, response, chain) -> {
      HttpServletRequest http = (HttpServletRequest) request;
      HttpSession session = http.getSession(false);
      Object user = session == null ? null : session.getAttribute(USER_ATTRIBUTE);
      chain.doFilter(user == null ? request : new HttpServletRequestWrapper(http) {
        @Override
        public Principal getUserPrincipal() {
          return () -> (String) user;
        }
      }, response);
    }), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession old = request.getSession(false);
        if (old != null) {
          old.invalidate(); // a new session at sign-in, as real applications do (no session fixation)
        }
        request.getSession(true).setAttribute(USER_ATTRIBUTE, request.getParameter("as"));
        String to = request.getParameter("to");
        if (to != null) {
          response.sendRedirect(CONTEXT + to);
        } else {
          response.setStatus(204);
        }
      }
    }), "/login");
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpServlet current = delegate;
        if (current == null) {
          response.sendError(503);
          return;
        }
        try {
          current.service(request, response);
        } catch (jakarta.servlet.ServletException e) {
          throw new IOException(e);
        }
      }
    }), MOUNT + "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
  }

  static TestServer start() {
    return new TestServer();
  }

  void use(HttpServlet servlet) {
    this.delegate = servlet;
  }

  int port() {
    return connector.getLocalPort();
  }

  String origin() {
    return "http://127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:port/app/latchkey} */
  String mountUrl() {
    return origin() + CONTEXT + MOUNT;
  }

  URI api(String path) {
    return URI.create(mountUrl() + "/api/v1/" + path);
  }

  URI app(String path) {
    return URI.create(origin() + CONTEXT + path);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }
}
