package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body was read (no credential, a CSRF failure) must leave the
 * connection in a state the client can tell: either the body is read and the connection reused,
 * or the answer says {@code Connection: close}. Before, a refusal answered as soon as the headers
 * arrived; a body arriving after that made Jetty close the connection after an answer that did not
 * say so, and the client's next request on the pooled connection met a closed socket ("HTTP/1.1
 * header parser received no bytes" in {@code CsrfTest} under load). Over a raw socket, with the
 * body sent late on purpose.
 */
class UnreadBodyTest extends WebTest {

  @Test
  void aRefusedRequestsLateBodyDoesNotBreakTheConnectionSilently() throws IOException {
    String body = "{\"id\":\"k2\",\"name\":\"K\"}";
    String path = TestServer.CONTEXT + TestServer.MOUNT + "/api/v1/accounts/acme/users/alice/api-keys";
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      List<String> first = head(in); // refused on the headers alone (no credential), body not yet sent
      assertThat(first).isNotEmpty();
      assertThat(first.get(0)).startsWith("HTTP/1.1 401 ");
      in.readNBytes(contentLength(first));
      if (first.stream().anyMatch(h -> h.equalsIgnoreCase("Connection: close"))) {
        return; // told: the client opens a new connection
      }
      List<String> second;
      try {
        out.write(body.getBytes(StandardCharsets.US_ASCII));
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        second = head(in);
      } catch (IOException e) {
        throw new AssertionError("the answer kept the connection, but the server closed it: " + e);
      }
      assertThat(second).as("the answer kept the connection, so the next request on it is answered").isNotEmpty();
      assertThat(second.get(0)).startsWith("HTTP/1.1 401 ");
    }
  }

  /** The status line and header lines of one response; empty if the connection closed first. */
  private static List<String> head(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          b.append((char) c);
        }
      }
      if (c < 0) {
        return lines.isEmpty() ? lines : fail(lines);
      }
      if (b.length() == 0) {
        return lines;
      }
      lines.add(b.toString());
    }
  }

  private static List<String> fail(List<String> partial) {
    throw new AssertionError("the connection closed inside a response head: " + partial);
  }

  private static int contentLength(List<String> head) {
    for (String h : head) {
      if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(h.substring(15).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }
}
