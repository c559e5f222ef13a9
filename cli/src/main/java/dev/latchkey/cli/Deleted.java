package dev.latchkey.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The result of a delete: {@code {"deleted":"<path>","type":"<type>"}}. */
final class Deleted {
  private Deleted() {}

  static void print(Output out, String type, String path) {
    out.say("Deleted " + type + " " + path + ".");
    if (out.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("deleted", path);
      m.put("type", type);
      out.object(m);
    }
  }
}
