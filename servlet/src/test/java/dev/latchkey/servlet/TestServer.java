package dev.latchkey.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 server on ephemeral ports, with the filter under test in front of {@link
 * EchoServlet} in the web application {@code /app}. Two connectors: one with Jetty's default
 * request-header limit (8 KiB) and one with a 128 KiB limit, so that the filter itself sees
 * oversized headers.
 */
final class TestServer implements AutoCloseable {
  static final String CONTEXT_PATH = "/app";
  static final int LARGE_HEADER_LIMIT = 128 * 1024;

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final Server server;
  private final ServerConnector defaultConnector;
  private final ServerConnector largeHeaderConnector;

  private TestServer(Server server, ServerConnector defaultConnector, ServerConnector largeHeaderConnector) {
    this.server = server;
    this.defaultConnector = defaultConnector;
    this.largeHeaderConnector = largeHeaderConnector;
  }

  static TestServer start(Filter filter) {
    return start(new FilterHolder(filter), context -> {});
  }

  static TestServer start(FilterHolder holder, Consumer<ServletContextHandler> customize) {
    Server server = new Server();
    ServerConnector defaults = connector(server, new HttpConfiguration());
    HttpConfiguration large = new HttpConfiguration();
    large.setRequestHeaderSize(LARGE_HEADER_LIMIT);
    ServerConnector largeHeaders = connector(server, large);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath(CONTEXT_PATH);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new EchoServlet()), "/*");
    customize.accept(context);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // best effort
      }
      throw new IllegalStateException("Jetty did not start", e);
    }
    return new TestServer(server, defaults, largeHeaders);
  }

  private static ServerConnector connector(Server server, HttpConfiguration config) {
    config.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    return connector;
  }

  int port() {
    return defaultConnector.getLocalPort();
  }

  int largeHeaderPort() {
    return largeHeaderConnector.getLocalPort();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + CONTEXT_PATH + path);
  }

  /** GET {@code path} with headers given as name, value, name, value... */
  Reply get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers().map(), response.body(), null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Reply bearer(String path, String token) {
    return get(path, "Authorization", "Bearer " + token);
  }

  /**
   * Sends {@code headerLines} (each without line end; any bytes) in a GET to {@code path} over a
   * plain socket, for what HttpClient refuses to send. Returns null if the server reset the
   * connection before a response could be read.
   */
  static Reply raw(int port, String path, List<byte[]> headerLines) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("GET " + CONTEXT_PATH + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    for (byte[] line : headerLines) {
      request.writeBytes(line);
      request.writeBytes(new byte[] {'\r', '\n'});
    }
    request.writeBytes(new byte[] {'\r', '\n'});
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (SocketException e) {
        // The server may answer and close before reading everything (e.g. 431); read what it sent.
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          received.write(buf, 0, n);
        }
      } catch (SocketException e) {
        if (received.size() == 0) {
          return null;
        }
      }
      return parse(received.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply raw(int port, String path, String... headerLines) {
    List<byte[]> lines = new ArrayList<>();
    for (String line : headerLines) {
      lines.add(line.getBytes(StandardCharsets.ISO_8859_1));
    }
    return raw(port, path, lines);
  }

  private static Reply parse(byte[] bytes) {
    String raw = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = raw.indexOf("\r\n\r\n");
    String head = end < 0 ? raw : raw.substring(0, end);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] body = end < 0 ? new byte[0] : raw.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
    return new Reply(status, headers, body, raw);
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
