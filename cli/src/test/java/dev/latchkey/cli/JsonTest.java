package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void escapesEverythingThatMustBeEscaped() {
    String nasty = "q\" b\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 esc\u001b del\u007f ls\u2028 ps\u2029 é 😀";
    String json = Json.write(nasty);
    assertThat(json).doesNotContain("\n", "\r", "\t", "\u0000", "\u001b", "\u2028", "\u2029");
    assertThat(json).contains("\\\"", "\\\\", "\\n", "\\r", "\\t", "\\b", "\\f", "\\u0000", "\\u001b", "\\u007f",
        "\\u2028", "\\u2029", "é", "😀");
    assertThat(TestJson.parse(json)).isEqualTo(nasty);
  }

  @Test
  void loneSurrogatesAreEscapedSoTheOutputIsValidUtf8() {
    String lone = "a\ud800b\udc00c";
    String json = Json.write(lone);
    assertThat(json).isEqualTo("\"a\\ud800b\\udc00c\"");
    assertThat(TestJson.parse(json)).isEqualTo(lone);
  }

  @Test
  void writesNestedValuesInOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "x");
    m.put("n", 42L);
    m.put("i", 7);
    m.put("t", true);
    m.put("none", null);
    m.put("empty", Optional.empty());
    m.put("some", Optional.of("v"));
    m.put("at", Instant.parse("2027-01-31T00:00:00Z"));
    m.put("d", Duration.ofDays(90));
    m.put("list", List.of("a", 1L, List.of()));
    m.put("map", Map.of("k", "v"));
    String json = Json.write(m);
    assertThat(json).isEqualTo("{\"s\":\"x\",\"n\":42,\"i\":7,\"t\":true,\"none\":null,\"empty\":null,\"some\":\"v\","
        + "\"at\":\"2027-01-31T00:00:00Z\",\"d\":\"PT2160H\",\"list\":[\"a\",1,[]],\"map\":{\"k\":\"v\"}}");
    assertThat(TestJson.object(json)).containsEntry("n", 42L).containsEntry("none", null)
        .containsEntry("list", List.of("a", 1L, List.of()));
  }

  @Test
  void theTestsReadJsonStrictly() {
    // what the tests' reader refuses, so that malformed CLI output fails the test that printed it
    assertThat(TestJson.parse(" {\"a\":[1,2.5,true,null]}\n")).isEqualTo(
        Map.of("a", Arrays.asList(1L, 2.5, true, null)));
    for (String bad : List.of("{\"a\":1,\"a\":2}", "{\"a\":1} {\"b\":2}", "{\"a\":1}x", "\"raw\ttab\"", "[01]",
        "{'a':1}", "{\"a\":1 /* c */}", "", "[1,]")) {
      assertThatThrownBy(() -> TestJson.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TestJson.object("[1]")).isInstanceOf(IllegalArgumentException.class);
  }
}
