package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** The module's own JSON reader and writer: RFC 8259 exactly, and a writer Jackson reads back. */
class JsonTest {
  @Test
  void readsEveryKindOfValue() throws Exception {
    Object v = Json.parse(" {\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\"n\":-12.5e+2,\"z\":0,"
        + "\"t\":true,\"f\":false,\"nul\":null,\"a\":[1,[],{}],\"o\":{\"x\":\"y\"}} ");
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(m.get("s")).isEqualTo("a\"b\\c/d\b\f\n\r\t\u00e9\ud83d\ude00");
    assertThat(m.get("n")).isEqualTo(new BigDecimal("-12.5e+2"));
    assertThat(m.get("z")).isEqualTo(BigDecimal.ZERO);
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m.get("f")).isEqualTo(false);
    assertThat(m.get("nul")).isSameAs(Json.NULL);
    assertThat(m.get("a")).isEqualTo(List.of(BigDecimal.ONE, List.of(), Map.of()));
    assertThat(m.get("o")).isEqualTo(Map.of("x", "y"));
    assertThat(m.keySet()).containsExactly("s", "n", "z", "t", "f", "nul", "a", "o");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "{", "}", "{\"a\":1,}", "[1,]", "{'a':1}", "{a:1}", "{\"a\" 1}", "[1 2]", "01", "-", "1.", ".5", "1e", "+1",
      "NaN", "Infinity", "tru", "nul", "\"\\x\"", "\"\\u12G4\"", "\"\\u00\"", "\"a\nb\"", "\"a\tb\"", "\"unterminated",
      "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\uFEFF{}", "{} {}", "{}x", "/* c */ {}", "{\"a\":1}//",
      "{\"a\":1,\"a\":2}", "[\"\\u0000\" x]"})
  void refusesWhatRfc8259DoesNotAllow(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.SyntaxException.class).hasMessageContaining("at character");
  }

  @Test
  void refusesDeepNesting() throws Exception {
    Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH));
    assertThatThrownBy(() -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)))
        .hasMessageContaining("nesting deeper than");
    assertThatThrownBy(() -> Json.parse("[".repeat(100_000))).hasMessageContaining("nesting deeper than");
  }

  @Test
  void writesWhatJacksonReadsBack() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 <script>&</script> \u2028 é 😀");
    value.put("long", Long.MAX_VALUE);
    value.put("int", -3);
    value.put("bool", true);
    value.put("list", List.of("a", 1L, false));
    value.put("empty", Map.of());
    String written = Json.write(value);
    assertThat(written).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("\u2028");
    Map<?, ?> read = JsonMapper.builder().build().readValue(written, Map.class);
    assertThat(read.get("text")).isEqualTo(value.get("text"));
    assertThat(((Number) read.get("long")).longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(read.get("list")).isEqualTo(List.of("a", 1, false));
  }

  @Test
  void roundTrips() throws Exception {
    String text = "{\"a\":[1,2.5,\"x\",true,false,null,{\"b\":{}}],\"c\":\"\\u00e9\"}";
    assertThat(Json.write(Json.parse(text))).isEqualTo("{\"a\":[1,2.5,\"x\",true,false,null,{\"b\":{}}],\"c\":\"é\"}");
  }
}
