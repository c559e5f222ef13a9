package dev.latchkey.servlet;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An HTTP response as a test sees it, from HttpClient or from a raw socket. */
record Reply(int status, Map<String, List<String>> headers, byte[] body, String raw) {

  Reply {
    TreeMap<String, List<String>> lower = new TreeMap<>();
    headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>()).addAll(v));
    headers = lower;
  }

  Optional<String> header(String name) {
    List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  List<String> headerValues(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The echo servlet's {@code key=value} lines. */
  Map<String, String> echoed() {
    TreeMap<String, String> map = new TreeMap<>();
    for (String line : bodyText().split("\r?\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        map.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return map;
  }

  /** Everything the client received, as text (ISO-8859-1 keeps every byte). */
  String everything() {
    if (raw != null) {
      return raw;
    }
    return headers + "\n" + new String(body, StandardCharsets.ISO_8859_1);
  }
}
