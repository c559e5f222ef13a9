package dev.latchkey.jdbc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The two JSON shapes the store writes: an object of strings (tags) and an array of strings (roles,
 * permissions). Written compactly with sorted entries; read strictly (anything else is an error),
 * while accepting every standard escape so that hand-edited rows still load.
 */
final class Json {
  private Json() {}

  static String object(Map<String, String> map) {
    StringBuilder sb = new StringBuilder(2 + map.size() * 16).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey()).append(':');
      string(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  static String array(Collection<String> values) {
    StringBuilder sb = new StringBuilder(2 + values.size() * 16).append('[');
    boolean first = true;
    for (String v : new java.util.TreeSet<>(values)) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, v);
    }
    return sb.append(']').toString();
  }

  private static StringBuilder string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  static Map<String, String> parseObject(String json) {
    Parser p = new Parser(json);
    Map<String, String> map = new TreeMap<>();
    p.skipSpace();
    p.expect('{');
    p.skipSpace();
    if (!p.tryConsume('}')) {
      do {
        p.skipSpace();
        String key = p.string();
        p.skipSpace();
        p.expect(':');
        p.skipSpace();
        map.put(key, p.string());
        p.skipSpace();
      } while (p.tryConsume(','));
      p.expect('}');
    }
    p.end();
    return Collections.unmodifiableMap(map);
  }

  static Set<String> parseArray(String json) {
    Parser p = new Parser(json);
    List<String> values = new ArrayList<>();
    p.skipSpace();
    p.expect('[');
    p.skipSpace();
    if (!p.tryConsume(']')) {
      do {
        p.skipSpace();
        values.add(p.string());
        p.skipSpace();
      } while (p.tryConsume(','));
      p.expect(']');
    }
    p.end();
    return Collections.unmodifiableSet(new LinkedHashSet<>(values));
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      if (s == null) {
        throw new IllegalArgumentException("missing JSON value");
      }
      this.s = s;
    }

    void skipSpace() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) {
        i++;
      }
    }

    boolean tryConsume(char c) {
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!tryConsume(c)) {
        throw new IllegalArgumentException("malformed JSON: expected '" + c + "' at " + i);
      }
    }

    void end() {
      skipSpace();
      if (i != s.length()) {
        throw new IllegalArgumentException("malformed JSON: trailing characters at " + i);
      }
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new IllegalArgumentException("malformed JSON: unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw new IllegalArgumentException("malformed JSON: unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new IllegalArgumentException("malformed JSON: short \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw new IllegalArgumentException("malformed JSON: bad \\u escape");
            }
            i += 4;
          }
          default -> throw new IllegalArgumentException("malformed JSON: bad escape at " + (i - 1));
        }
      }
    }
  }
}
