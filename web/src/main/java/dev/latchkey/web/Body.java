package dev.latchkey.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A request's JSON object, read strictly: {@code Content-Type: application/json} (UTF-8, the only
 * charset JSON has), at most {@value #MAX_BYTES} bytes of valid UTF-8, one object, no member the
 * operation does not know. Accessors refuse a member of the wrong type with a 400 that names it.
 */
final class Body {
  /** Largest request body read; the largest legitimate one (a principal with 64 roles and 64 permissions) is ~20 KiB. */
  static final int MAX_BYTES = 64 * 1024;

  private static final Body EMPTY = new Body(Map.of(), "");

  private final Map<String, Object> members;
  /** "" for the request's object, "expiration." for a nested one: error messages name the full path. */
  private final String path;

  private Body(Map<String, Object> members, String path) {
    this.members = members;
    this.path = path;
  }

  /**
   * The request's JSON object. With {@code optional}, a request without content is an empty object:
   * the action endpoints (revoke, enable, rotate) need none.
   */
  static Body read(HttpServletRequest request, boolean optional) throws IOException {
    String contentType = request.getContentType();
    byte[] bytes = readBytes(request);
    if (bytes.length == 0 && optional) {
      return EMPTY;
    }
    if (contentType == null || !isJson(contentType)) {
      throw new Problem(Problem.Type.UNSUPPORTED_MEDIA_TYPE,
          "send the request body as application/json (UTF-8); the Content-Type was "
              + (contentType == null ? "missing" : "'" + shorten(contentType) + "'"));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw Problem.invalid("the request body is not valid UTF-8");
    }
    Object value;
    try {
      value = Json.parse(text);
    } catch (Json.SyntaxException e) {
      throw Problem.invalid("the request body is not valid JSON: " + e.getMessage());
    }
    if (!(value instanceof Map<?, ?>)) {
      throw Problem.invalid("the request body must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return new Body(map, "");
  }

  /** application/json with no parameter but an optional charset=utf-8. */
  private static boolean isJson(String contentType) {
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!p.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  private static byte[] readBytes(HttpServletRequest request) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > MAX_BYTES) {
      throw tooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
    try (InputStream in = request.getInputStream()) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (out.size() + n > MAX_BYTES) {
          throw tooLarge();
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static Problem tooLarge() {
    return new Problem(Problem.Type.PAYLOAD_TOO_LARGE, "the request body is larger than " + MAX_BYTES + " bytes");
  }

  /** Refuses members other than {@code allowed}, naming the first unknown one and the allowed ones. */
  Body only(String... allowed) {
    Set<String> known = Set.of(allowed);
    for (String name : members.keySet()) {
      if (!known.contains(name)) {
        throw Problem.invalid("unknown member '" + path + shorten(name) + "'"
            + (allowed.length == 0 ? "; this request takes none" : "; allowed: " + String.join(", ", new TreeSet<>(known))));
      }
    }
    return this;
  }

  boolean has(String name) {
    return members.containsKey(name);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /**
   * Whether the member is present with JSON {@code null}: only the members for which the API gives
   * {@code null} a meaning (a restriction or a rate limit removed, an unrestricted part of a
   * restriction) ask; every other accessor refuses a {@code null}.
   */
  boolean isNull(String name) {
    return members.get(name) == Json.NULL;
  }

  String string(String name) {
    return optString(name).orElseThrow(() -> Problem.invalid("'" + path + name + "' is required"));
  }

  Optional<String> optString(String name) {
    Object v = value(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw Problem.invalid("'" + path + name + "' must be a string");
    }
    return Optional.of(s);
  }

  Optional<Boolean> optBoolean(String name) {
    Object v = value(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Boolean b)) {
      throw Problem.invalid("'" + path + name + "' must be true or false");
    }
    return Optional.of(b);
  }

  Optional<Long> optLong(String name) {
    Object v = value(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof BigDecimal d)) {
      throw Problem.invalid("'" + path + name + "' must be a number");
    }
    try {
      return Optional.of(d.longValueExact());
    } catch (ArithmeticException e) {
      throw Problem.invalid("'" + path + name + "' must be a whole number");
    }
  }

  /** An array of distinct strings. */
  Optional<Set<String>> optStringSet(String name) {
    Object v = value(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof List<?> list)) {
      throw Problem.invalid("'" + path + name + "' must be an array of strings");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        throw Problem.invalid("'" + path + name + "' must be an array of strings");
      }
      if (!out.add(s)) {
        throw Problem.invalid("'" + path + name + "' lists '" + shorten(s) + "' twice");
      }
    }
    return Optional.of(out);
  }

  /** An object whose members are all strings. */
  Optional<Map<String, String>> optStringMap(String name) {
    Object v = value(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> map)) {
      throw Problem.invalid("'" + path + name + "' must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw Problem.invalid("'" + path + name + "." + shorten((String) e.getKey()) + "' must be a string");
      }
      out.put((String) e.getKey(), s);
    }
    return Optional.of(out);
  }

  /** A nested object, read with the same rules. */
  Optional<Body> optObject(String name) {
    Object v = value(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?>)) {
      throw Problem.invalid("'" + path + name + "' must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) v;
    return Optional.of(new Body(map, path + name + "."));
  }

  /** Reads a member that is a JSON value other than {@code null}: the raw value, or null if absent. */
  Optional<Object> optValue(String name) {
    return Optional.ofNullable(value(name));
  }

  /**
   * The member's value, or null if it is absent. A member present with JSON {@code null} is refused
   * rather than read as missing: an optional member of this API is left out to mean "not given", and
   * a {@code null} is more likely a client's mistake than a wish. The few members for which {@code
   * null} means something are asked with {@link #isNull} first.
   */
  private @Nullable Object value(String name) {
    Object v = members.get(name);
    if (v == Json.NULL) {
      throw Problem.invalid("'" + path + shorten(name) + "' is null; leave the member out instead");
    }
    return v;
  }

  static String shorten(String s) {
    String printable = s.codePoints()
        .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
  }
}
