package dev.latchkey.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP against the test application's port, through the JDK's client. */
public final class Http {

  private final int port;

  public Http(int port) {
    this.port = port;
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
  }

  public HttpResponse<String> post(String path, String body, String... headers) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "text/plain"), headers);
  }

  public static String bearer(String token) {
    return "Bearer " + token;
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder builder, String... headers) {
    if (headers.length > 0) {
      builder.headers(headers);
    }
    try {
      // A new client (so a new connection) per request: a pooled keep-alive connection that the
      // server (Reactor Netty) closes as it is reused left a request unanswered until the timeout
      // in about 1 of 10 runs; each request on its own connection is what these tests mean anyway.
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      return client.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
