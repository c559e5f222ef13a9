package dev.latchkey.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Prints results to standard output: with {@code --json} exactly one JSON document per command,
 * otherwise aligned text for people. Text output shows control characters escaped, so stored text
 * cannot move the cursor or fake other lines.
 */
final class Output {
  /** One table column: a header and the view field it shows. */
  record Column(String header, String field) {}

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** A line of explanation for people; suppressed with {@code --json}. */
  void say(String line) {
    if (!json) {
      out.println(line);
    }
  }

  /** One result: a JSON object, or "field  value" lines. */
  void object(Map<String, ?> view) {
    if (json) {
      out.println(Json.write(view));
      return;
    }
    int width = view.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, ?> e : view.entrySet()) {
      out.println(pad(e.getKey(), width) + "  " + text(e.getValue()));
    }
  }

  /** A listing: {@code {"items":[...],"nextCursor":...}}, or a table. */
  void list(List<Map<String, Object>> items, List<Column> columns, @Nullable String nextCursor) {
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("items", items);
      doc.put("nextCursor", nextCursor);
      out.println(Json.write(doc));
      return;
    }
    if (items.isEmpty()) {
      out.println("(none)");
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (Map<String, Object> item : items) {
        rows.add(columns.stream().map(c -> text(item.get(c.field()))).toList());
      }
      int[] widths = new int[columns.size()];
      for (int i = 0; i < widths.length; i++) {
        widths[i] = columns.get(i).header().length();
        for (List<String> row : rows) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      out.println(row(columns.stream().map(Column::header).toList(), widths));
      for (List<String> row : rows) {
        out.println(row(row, widths));
      }
    }
    if (nextCursor != null) {
      out.println("(more: repeat with --after " + nextCursor + ")");
    }
  }

  void flush() {
    out.flush();
  }

  private static String row(List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(i == cells.size() - 1 ? cells.get(i) : pad(cells.get(i), widths[i]));
    }
    return sb.toString();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /** A value as people read it: "-" for nothing, lists comma-separated, tags as key=value. */
  static String text(Object value) {
    if (value instanceof Optional<?> o) {
      return text(o.orElse(null));
    }
    if (value == null) {
      return "-";
    }
    if (value instanceof Duration d) {
      return duration(d);
    }
    if (value instanceof Instant i) {
      return i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
    if (value instanceof Collection<?> c) {
      return c.isEmpty() ? "-" : c.stream().map(Output::text).collect(Collectors.joining(", "));
    }
    if (value instanceof Map<?, ?> m) {
      return m.isEmpty() ? "-" : m.entrySet().stream()
          .map(e -> printable(String.valueOf(e.getKey())) + "=" + printable(String.valueOf(e.getValue())))
          .collect(Collectors.joining(", "));
    }
    if (value instanceof Boolean b) {
      return b ? "yes" : "no";
    }
    String s = printable(value.toString());
    return s.isEmpty() ? "-" : s;
  }

  /**
   * For sentences: "365 days", "1 day 12 hours" (never ISO-8601 like PT8760H), in the words core's
   * own messages use: days, hours, minutes, seconds and milliseconds, largest first, zero parts left
   * out, nanoseconds dropped (but never nothing: under a millisecond reads "1 millisecond").
   */
  static String words(@Nullable Duration d) {
    if (d == null) {
      return "none";
    }
    if (d.isNegative()) {
      return "minus " + words(d.negated());
    }
    if (d.isZero()) {
      return "0 seconds";
    }
    StringBuilder sb = new StringBuilder();
    long seconds = d.getSeconds();
    long[] unitSeconds = {86_400, 3_600, 60, 1};
    String[] units = {"day", "hour", "minute", "second"};
    for (int i = 0; i < units.length; i++) {
      appendWords(sb, seconds / unitSeconds[i], units[i]);
      seconds %= unitSeconds[i];
    }
    appendWords(sb, sb.length() == 0 ? Math.max(1, d.toMillisPart()) : d.toMillisPart(), "millisecond");
    return sb.toString();
  }

  private static void appendWords(StringBuilder sb, long n, String unit) {
    if (n > 0) {
      sb.append(sb.length() == 0 ? "" : " ").append(n).append(' ').append(unit).append(n == 1 ? "" : "s");
    }
  }

  /** For tables and fields, in the form options accept: {@code 90d}, {@code 12h}, {@code 5m}, else ISO-8601. */
  static String duration(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    long s = d.getSeconds();
    if (d.getNano() == 0) {
      if (s % 86_400 == 0) {
        return s / 86_400 + "d";
      }
      if (s % 3_600 == 0) {
        return s / 3_600 + "h";
      }
      if (s % 60 == 0) {
        return s / 60 + "m";
      }
      return s + "s";
    }
    return d.toString();
  }

  /** Escapes control characters (newlines in descriptions, terminal escapes) for text output. */
  static String printable(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        if (sb == null) {
          sb = new StringBuilder(s.substring(0, i));
        }
        switch (c) {
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> sb.append(String.format("\\u%04x", (int) c));
        }
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
