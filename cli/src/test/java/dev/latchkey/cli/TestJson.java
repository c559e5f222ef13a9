package dev.latchkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * Reads the CLI's JSON output back in tests, with Jackson (test scope only: the CLI writes its JSON
 * itself, {@link Json}). Strict, so that malformed output fails the test that printed it: exactly
 * one value (trailing tokens fail), no duplicate keys, no raw control characters in strings, no
 * comments, quotes other than {@code "} or leading zeros. Objects are {@link java.util.LinkedHashMap}s
 * (in document order), arrays lists, integers {@link Long}s, other numbers {@link Double}s.
 */
final class TestJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .build();

  private TestJson() {}

  /** Parses exactly one JSON value (surrounding whitespace allowed); anything else fails. */
  static Object parse(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not one valid JSON value (" + e.getOriginalMessage() + ") in: " + text, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("not a JSON object: " + text);
    }
    return (Map<String, Object>) v;
  }
}
