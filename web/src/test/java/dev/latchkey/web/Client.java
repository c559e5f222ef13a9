package dev.latchkey.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP client for the management API as a browser session or a bearer-token client would use it.
 * A signed-in client has its own cookie jar (its session), sends the session's CSRF token and its
 * own origin on unsafe requests unless told not to. Every reply is checked against the OpenAPI
 * document and kept in a shared log, so tests can assert where token values appeared.
 */
final class Client {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Every reply of every client of a test, in order. */
  static final class Log {
    final List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
    final List<String> conformance = Collections.synchronizedList(new ArrayList<>());
  }

  private final TestServer server;
  private final Log log;
  private final HttpClient http;
  private final String bearer;
  private String csrfToken;

  private Client(TestServer server, Log log, String bearer) {
    this.server = server;
    this.log = log;
    this.bearer = bearer;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Signed in as {@code who} (a principal ref or "system"), with the session's CSRF token fetched. */
  static Client signedIn(TestServer server, Log log, String who) {
    Client c = new Client(server, log, null);
    c.signIn(who);
    return c;
  }

  /** Not signed in; sends {@code Authorization: Bearer token} if {@code token} is not null. */
  static Client bearer(TestServer server, Log log, String token) {
    return new Client(server, log, token);
  }

  void signIn(String who) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.app("/login?as=" + who)).GET().build());
    if (r.statusCode() != 204) {
      throw new IllegalStateException("sign-in failed: " + r.statusCode());
    }
    Reply session = get("session");
    if (session.status() == 200 && session.json().has("csrfToken")) {
      csrfToken = session.json().get("csrfToken").asString();
    }
  }

  String csrfToken() {
    return csrfToken;
  }

  Call call(String method, String path) {
    return new Call(method, path);
  }

  Reply get(String path) {
    return call("GET", path).send();
  }

  /** POST; a null body sends none (the action endpoints take none). */
  Reply post(String path, Object body) {
    return body == null ? call("POST", path).send() : call("POST", path).json(body).send();
  }

  Reply patch(String path, Object body) {
    return call("PATCH", path).json(body).send();
  }

  Reply delete(String path) {
    return call("DELETE", path).send();
  }

  static String json(Object body) {
    return body instanceof String s ? s : JSON.writeValueAsString(body);
  }

  /** One request being built. */
  final class Call {
    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;
    private boolean csrf = true;
    private boolean origin = true;

    Call(String method, String path) {
      this.method = method;
      this.path = path;
    }

    Call json(Object value) {
      body = Client.json(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      headers.put("Content-Type", "application/json");
      return this;
    }

    Call raw(String contentType, String text) {
      return bytes(contentType, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Call bytes(String contentType, byte[] content) {
      body = content;
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
      return this;
    }

    Call header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    Call ifMatch(String etag) {
      return header("If-Match", etag);
    }

    /** Leave out the CSRF token header. */
    Call noCsrf() {
      csrf = false;
      return this;
    }

    /** Leave out the Origin header a browser would send. */
    Call noOrigin() {
      origin = false;
      return this;
    }

    Reply send() {
      HttpRequest.Builder b = HttpRequest.newBuilder(server.api(path)).timeout(Duration.ofSeconds(20));
      boolean unsafe = !method.equals("GET");
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      }
      if (unsafe && csrf && csrfToken != null && !headers.containsKey(Csrf.HEADER)) {
        b.header(Csrf.HEADER, csrfToken);
      }
      if (unsafe && origin && !headers.containsKey("Origin")) {
        b.header("Origin", server.origin());
      }
      headers.forEach(b::header);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<String> r = Client.this.send(b.build());
      Reply reply = new Reply(method, path, r.statusCode(), r.headers().map(), r.body());
      log.replies.add(reply);
      String apiPath = "/" + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
      for (String problem : OpenApiCheck.get().check(method, apiPath, reply.status(), reply.headers(), reply.body())) {
        log.conformance.add(problem);
      }
      return reply;
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET a console URL below the mount point (e.g. "/my-api-keys.html"), with this client's session. */
  Reply page(String pathBelowMount, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.mountUrl() + pathBelowMount)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = send(b.build());
    Reply reply = new Reply("GET", pathBelowMount, r.statusCode(), r.headers().map(), r.body());
    log.replies.add(reply);
    return reply;
  }
}
