package dev.latchkey.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A strict JSON (RFC 8259) reader and a writer, so that the module needs no JSON library and cannot
 * clash with the host application's (a Spring Boot 4 application brings Jackson 3, an older one
 * Jackson 2, others Gson or JSON-B).
 *
 * <p>Values are plain Java: objects are {@link Map}s (insertion-ordered), arrays {@link List}s,
 * strings {@link String}s, numbers {@link BigDecimal}s, {@code true}/{@code false} {@link Boolean}s
 * and {@code null} the {@link #NULL} marker (so that a present {@code null} differs from a missing
 * member). The reader refuses anything RFC 8259 does not allow (comments, trailing commas, single
 * quotes, leading zeros, control characters in strings, lone surrogates, a byte-order mark, content
 * after the value) and, beyond the RFC, duplicate member names and nesting deeper than {@value
 * #MAX_DEPTH}: a request is either exactly understood or refused.
 */
final class Json {
  /** Deepest nesting of arrays and objects the reader accepts; the API's documents nest 3 deep. */
  static final int MAX_DEPTH = 16;

  /** JSON's {@code null}. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** The input is not JSON this reader accepts; the message says where and why. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  private Json() {}

  // ---- reading

  static Object parse(String text) throws SyntaxException {
    Reader reader = new Reader(text);
    reader.skipWhitespace();
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("unexpected content after the JSON value");
    }
    return value;
  }

  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    SyntaxException error(String what) {
      return new SyntaxException(what + " at character " + (pos + 1));
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          return;
        }
      }
    }

    Object value(int depth) throws SyntaxException {
      if (pos >= s.length()) {
        throw error("unexpected end of input");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", NULL);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + printable(c) + "'");
      }
    }

    private Object literal(String word, Object value) throws SyntaxException {
      if (!s.startsWith(word, pos)) {
        throw error("invalid literal (expected " + word + ")");
      }
      pos += word.length();
      return value;
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH);
      }
      pos++; // {
      Map<String, Object> members = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return members;
      }
      while (true) {
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a member name in double quotes");
        }
        String name = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        Object value = value(depth);
        if (members.containsKey(name)) {
          throw error("duplicate member \"" + shorten(name) + "\"");
        }
        members.put(name, value);
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return members;
      }
    }

    private List<Object> array(int depth) throws SyntaxException {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH);
      }
      pos++; // [
      List<Object> items = new ArrayList<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return items;
      }
      while (true) {
        skipWhitespace();
        items.add(value(depth));
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return items;
      }
    }

    private void expect(char c) throws SyntaxException {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private String string() throws SyntaxException {
      pos++; // opening quote
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("control character in a string (escape it)");
        }
        if (Character.isSurrogate(c)) {
          // Only a well-formed pair; the request was decoded strictly, so this is a safeguard.
          if (Character.isHighSurrogate(c) && pos < s.length() && Character.isLowSurrogate(s.charAt(pos))) {
            out.append(c).append(s.charAt(pos++));
            continue;
          }
          throw error("lone surrogate in a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out.append(e);
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'n':
            out.append('\n');
            break;
          case 'r':
            out.append('\r');
            break;
          case 't':
            out.append('\t');
            break;
          case 'u':
            char u = hex4();
            if (Character.isHighSurrogate(u)) {
              if (!s.startsWith("\\u", pos)) {
                throw error("lone surrogate escape");
              }
              pos += 2;
              char low = hex4();
              if (!Character.isLowSurrogate(low)) {
                throw error("lone surrogate escape");
              }
              out.append(u).append(low);
            } else if (Character.isLowSurrogate(u)) {
              throw error("lone surrogate escape");
            } else {
              out.append(u);
            }
            break;
          default:
            pos--;
            throw error("invalid escape '\\" + printable(e) + "'");
        }
      }
    }

    private char hex4() throws SyntaxException {
      if (pos + 4 > s.length()) {
        throw error("incomplete \\u escape");
      }
      int v = 0;
      for (int i = 0; i < 4; i++) {
        char h = s.charAt(pos + i);
        int d = h >= '0' && h <= '9' ? h - '0'
            : h >= 'a' && h <= 'f' ? h - 'a' + 10
            : h >= 'A' && h <= 'F' ? h - 'A' + 10
            : -1;
        if (d < 0) {
          throw error("invalid \\u escape");
        }
        v = v * 16 + d;
      }
      pos += 4;
      return (char) v;
    }

    private BigDecimal number() throws SyntaxException {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos >= s.length()) {
        throw error("incomplete number");
      }
      if (s.charAt(pos) == '0') {
        pos++;
        if (pos < s.length() && isDigit(s.charAt(pos))) {
          throw error("leading zero in a number");
        }
      } else if (isDigit(s.charAt(pos))) {
        digits();
      } else {
        throw error("incomplete number");
      }
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) {
          throw error("a decimal point must be followed by digits");
        }
        digits();
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (pos >= s.length() || !isDigit(s.charAt(pos))) {
          throw error("an exponent needs digits");
        }
        digits();
      }
      if (pos - start > 64) {
        throw error("number longer than 64 characters");
      }
      return new BigDecimal(s.substring(start, pos));
    }

    private void digits() {
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  // ---- writing

  /** Writes {@code value}: a Map (String keys), List, String, Number, Boolean, {@link #NULL} or null. */
  static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, @Nullable Object value) {
    if (value == null || value == NULL) {
      out.append("null");
    } else if (value instanceof String str) {
      writeString(out, str);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof BigDecimal d) {
      out.append(d.toString());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, (String) e.getKey());
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  /**
   * Escapes quotes, backslashes and control characters as JSON requires, and also {@code <}, {@code
   * >}, {@code &} and the line separators U+2028/U+2029, so that no response can be read as markup
   * even by a client that sniffs.
   */
  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /** An insertion-ordered object for building responses; {@code null} values are left out. */
  static final class Obj {
    private final Map<String, Object> members = new LinkedHashMap<>();

    Obj put(String name, @Nullable Object value) {
      if (value != null) {
        members.put(name, value);
      }
      return this;
    }

    Map<String, Object> map() {
      return Collections.unmodifiableMap(members);
    }
  }

  static Obj obj() {
    return new Obj();
  }
}
