package dev.latchkey.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one servlet of the module: the management API below {@code api/v1/} and the console's files
 * elsewhere, both behind the same {@link ActorResolver}. Every response carries {@code
 * X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer}; API responses are never
 * stored by caches; console pages have a strict Content-Security-Policy.
 */
final class ManagementServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger("dev.latchkey.web");
  static final String API_PREFIX = "/api/v1";

  private final transient ActorResolver resolver;
  private final transient ManagementApi api;
  private final transient Csrf csrf;
  private final transient @Nullable Console console;

  ManagementServlet(ActorResolver resolver, ManagementApi api, Csrf csrf, @Nullable Console console) {
    this.resolver = resolver;
    this.api = api;
    this.csrf = csrf;
    this.console = console;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    boolean isApi = path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/");
    String method = request.getMethod();
    String route = isApi ? ManagementApi.template(path.length() > API_PREFIX.length() ? path.substring(API_PREFIX.length() + 1) : "")
        : "console";
    try {
      if (isApi) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
      }
      Optional<Caller> caller = resolver.resolve(request);
      if (caller == null) {
        throw new IllegalStateException("the ActorResolver returned null; return Optional.empty()");
      }
      if (caller.isEmpty()) {
        closeIfBodyUnread(request, response);
        unauthenticated(isApi, response);
        return;
      }
      if (isApi) {
        if (!isSafe(method) && caller.get().credential() == Caller.Credential.SESSION) {
          csrf.check(request);
        }
        String rest = path.length() > API_PREFIX.length() ? path.substring(API_PREFIX.length() + 1) : "";
        api.handle(rest, new Exchange(request, response, caller.get()));
      } else {
        console(path, method, request, response);
      }
    } catch (Throwable failure) {
      if (failure instanceof Error e && !(failure instanceof AssertionError)) {
        throw e;
      }
      closeIfBodyUnread(request, response);
      problem(Problems.of(failure, method, route), response);
    }
  }

  /**
   * A request answered before its body was all read (refused on its headers, or its body refused
   * part-way) says {@code Connection: close}: Jetty cannot keep a connection whose request body is
   * still arriving, and an answer that kept it would send the client's next request into a closed
   * socket.
   */
  private static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
    boolean unread;
    try {
      unread = !request.getInputStream().isFinished();
    } catch (IOException | IllegalStateException e) {
      unread = true; // read as characters, or not readable at all: do not reuse the connection
    }
    if (unread && !response.isCommitted()) {
      response.setHeader("Connection", "close");
    }
  }

  private void console(String path, String method, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (console == null) {
      throw Problem.notFound("the console is turned off; the API is at " + API_PREFIX.substring(1) + "/");
    }
    if (!method.equals("GET")) {
      throw new Problem(Problem.Type.METHOD_NOT_ALLOWED, "the console's files are read with GET").header("Allow", "GET");
    }
    if (path.isEmpty()) {
      // Mounted at /latchkey/* and asked for /latchkey: relative links need the trailing slash.
      response.setStatus(HttpServletResponse.SC_FOUND);
      response.setHeader("Location", request.getContextPath() + request.getServletPath() + "/" + Console.HOME);
      return;
    }
    if (path.equals("/")) {
      response.setStatus(HttpServletResponse.SC_FOUND);
      response.setHeader("Location", Console.HOME);
      return;
    }
    if (!console.serve(path.substring(1), request, response)) {
      throw Problem.notFound("no console page at " + Body.shorten(path));
    }
  }

  private static boolean isSafe(String method) {
    return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
  }

  private static void unauthenticated(boolean isApi, HttpServletResponse response) throws IOException {
    Problem p = new Problem(Problem.Type.UNAUTHENTICATED, "sign in to the application first"
        + (isApi ? ", or send a bearer token" : "")).header("WWW-Authenticate", "Bearer realm=\"latchkey\"");
    if (isApi) {
      problem(p, response);
      return;
    }
    // A page, for a person: plain text, nothing to run.
    Console.pageHeaders(response);
    response.setHeader("Cache-Control", "no-store");
    byte[] body = "Sign in to the application to use the Latchkey console.\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setContentType("text/plain; charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  static void problem(Problem p, HttpServletResponse response) throws IOException {
    if (response.isCommitted()) {
      LOG.warn("could not answer with problem {}: the response was already committed", p.type().slug);
      return;
    }
    response.resetBuffer();
    for (Map.Entry<String, String> h : p.headers().entrySet()) {
      response.setHeader(h.getKey(), h.getValue());
    }
    response.setHeader("ETag", null);
    response.setHeader("Location", null);
    String body = Json.write(Json.obj()
        .put("type", p.type().uri())
        .put("title", p.type().title)
        .put("status", p.type().status)
        .put("detail", p.detail())
        .map());
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    response.setStatus(p.type().status);
    response.setContentType(Exchange.PROBLEM_JSON);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
