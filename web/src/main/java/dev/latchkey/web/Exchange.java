package dev.latchkey.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One API request being answered: the request, the caller and the response helpers. */
final class Exchange {
  static final String JSON = "application/json";
  static final String PROBLEM_JSON = "application/problem+json";

  final HttpServletRequest request;
  final HttpServletResponse response;
  final Caller caller;

  Exchange(HttpServletRequest request, HttpServletResponse response, Caller caller) {
    this.request = request;
    this.response = response;
    this.caller = caller;
  }

  String method() {
    return request.getMethod();
  }

  /** The API's base path as the client sees it: context path + servlet path + {@code /api/v1}. */
  String apiBase() {
    return request.getContextPath() + request.getServletPath() + "/api/v1";
  }

  // ---- query parameters (strict: unknown names and repeated names are refused)

  private Map<String, List<String>> query;

  /**
   * The query string's parameters, parsed here rather than with getParameter: a container merges
   * form-encoded bodies into the parameters, and reading them would consume a body that this API
   * must refuse as not JSON.
   */
  private Map<String, List<String>> query() {
    if (query == null) {
      Map<String, List<String>> parsed = new LinkedHashMap<>();
      String raw = request.getQueryString();
      if (raw != null && !raw.isEmpty()) {
        for (String pair : raw.split("&", -1)) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String name = decode(eq < 0 ? pair : pair.substring(0, eq));
          String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
          parsed.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
      }
      query = parsed;
    }
    return query;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("the query string has a malformed %-escape");
    }
  }

  void onlyParameters(String... allowed) {
    Set<String> known = Set.of(allowed);
    for (String name : query().keySet()) {
      if (!known.contains(name)) {
        throw Problem.invalid("unknown query parameter '" + Body.shorten(name) + "'"
            + (allowed.length == 0 ? "; this request takes none" : "; allowed: " + String.join(", ", allowed)));
      }
    }
  }

  Optional<String> parameter(String name) {
    List<String> values = query().get(name);
    if (values == null) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw Problem.invalid("query parameter '" + name + "' is given more than once");
    }
    return Optional.of(values.get(0));
  }

  // ---- If-Match

  /**
   * The request's {@code If-Match}, if any: {@code *} or a list of entity tags. Weak tags are kept but
   * never match, as RFC 9110 requires strong comparison for If-Match.
   */
  Optional<IfMatch> ifMatch() {
    List<String> headers = new ArrayList<>();
    Enumeration<String> values = request.getHeaders("If-Match");
    while (values.hasMoreElements()) {
      headers.add(values.nextElement());
    }
    if (headers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(IfMatch.parse(String.join(",", headers)));
  }

  /** A parsed If-Match header. */
  record IfMatch(boolean any, List<String> strongTags) {
    static IfMatch parse(String header) {
      String h = header.trim();
      if (h.equals("*")) {
        return new IfMatch(true, List.of());
      }
      List<String> strong = new ArrayList<>();
      int i = 0;
      while (i < h.length()) {
        while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == '\t' || h.charAt(i) == ',')) {
          i++;
        }
        if (i >= h.length()) {
          break;
        }
        boolean weak = h.startsWith("W/", i);
        if (weak) {
          i += 2;
        }
        if (i >= h.length() || h.charAt(i) != '"') {
          throw malformed();
        }
        int end = h.indexOf('"', i + 1);
        if (end < 0) {
          throw malformed();
        }
        String tag = h.substring(i + 1, end);
        for (int c = 0; c < tag.length(); c++) {
          char ch = tag.charAt(c);
          if (ch < 0x21 || ch == 0x7f) {
            throw malformed();
          }
        }
        if (!weak) {
          strong.add(tag);
        }
        i = end + 1;
        while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
          i++;
        }
        if (i < h.length() && h.charAt(i) != ',') {
          throw malformed();
        }
      }
      if (strong.isEmpty() && !h.contains("W/")) {
        throw malformed();
      }
      return new IfMatch(false, List.copyOf(strong));
    }

    private static Problem malformed() {
      return Problem.invalid("If-Match must be * or a list of entity tags such as \"3\" (the ETag of the entity)");
    }

    boolean matches(long version) {
      return any || strongTags.contains(Long.toString(version));
    }

    /** The version when the header names exactly one strong tag that is a version number. */
    Optional<Long> singleVersion() {
      if (any || strongTags.size() != 1) {
        return Optional.empty();
      }
      try {
        return Optional.of(Long.parseLong(strongTags.get(0)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  static String etag(long version) {
    return "\"" + version + "\"";
  }

  // ---- responses

  void json(int status, Map<String, Object> body) throws IOException {
    send(status, JSON, Json.write(body));
  }

  void json(int status, Map<String, Object> body, long version) throws IOException {
    response.setHeader("ETag", etag(version));
    json(status, body);
  }

  void created(String location, Map<String, Object> body, long version) throws IOException {
    response.setHeader("Location", apiBase() + "/" + location);
    json(HttpServletResponse.SC_CREATED, body, version);
  }

  void noContent() {
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }

  void send(int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(bytes.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(bytes);
    }
  }
}
