package dev.latchkey.it;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Writes the scale-out results: a block of {@code benchmarks/RESULTS.md} between {@code <!-- section:
 * NAME -->} markers (replacing the previous block of that name, leaving the rest of the file), and a
 * PNG chart of propagation time against the node count, drawn with Java2D from the same figures.
 */
final class ScaleOutReport {
  private ScaleOutReport() {}

  /** Replaces (or appends) the block named {@code name} in the markdown file {@code results}. */
  static void writeSection(Path results, String name, String body) {
    try {
      String text = Files.exists(results) ? Files.readString(results, StandardCharsets.UTF_8) : "";
      String block = "<!-- section: " + name + " (generated; do not edit by hand) -->\n" + body.stripTrailing()
          + "\n<!-- end section: " + name + " -->\n";
      Pattern existing = Pattern.compile("<!-- section: " + Pattern.quote(name) + " .*?<!-- end section: "
          + Pattern.quote(name) + " -->\n?", Pattern.DOTALL);
      Matcher m = existing.matcher(text);
      String updated = m.find()
          ? text.substring(0, m.start()) + block + text.substring(m.end())
          : text.stripTrailing() + "\n\n" + block;
      Files.writeString(results, updated, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The run's conditions: date, JVM, CPU, load average. */
  static String conditions(String command, String startedUtc, String loadBefore) {
    StringBuilder b = new StringBuilder();
    b.append("| | |\n|---|---|\n");
    b.append("| command | `").append(command).append("` |\n");
    b.append("| date (UTC) | ").append(startedUtc).append(" to ").append(now()).append(" |\n");
    b.append("| JVM | ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" |\n");
    b.append("| CPU | ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, max heap ").append(Runtime.getRuntime().maxMemory() / (1 << 20)).append(" MB |\n");
    b.append("| load average (1/5/15 min) before, after | ").append(loadBefore).append("; ").append(loadAverage())
        .append(" |\n");
    return b.toString();
  }

  static String now() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  /** The scale-out tables. */
  static String tables(List<ScaleOut.Result> results) {
    StringBuilder b = new StringBuilder();
    ScaleOut.Config first = results.get(0).config();
    b.append(String.format(Locale.ROOT, "Staleness bound %d ms (polls every %d ms), %d trials of each kind per row,"
            + " steady load of %d verifications/s on every node (20 cached tokens), HikariCP pools of %d"
            + " connections per node.%n%n", first.bound().toMillis(), Math.max(5, first.bound().toMillis() / 2),
        first.trialsPerKind(), first.verificationsPerNodePerSecond(), first.poolSize()));
    b.append("### Propagation\n\n");
    b.append("Time from the return of the management call on node 0 (the change has committed) until every other"
        + " node rejects (all nodes) and until each node rejects (per node), in ms. Stale accepts: verifications"
        + " that began more than the bound after the change and accepted (asserted 0). Never rejected: nodes that"
        + " still accepted when the watch ended, 100 ms after the bound (asserted 0). Re-accepts: a node accepting"
        + " again after it had rejected. Quantiles are nearest-rank: over fewer than 100 trials the all-nodes p99 is"
        + " the maximum; the per-node figures pool every node of every trial.\n\n");
    b.append("| nodes | wake-ups | trials | all nodes p50 | p99 | max | per node p50 | per node p99 | revocation p50"
        + " | rotation p50 | permission p50 | management call p50 | checks | stale accepts | never rejected |"
        + " re-accepts |\n");
    b.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScaleOut.Result r : results) {
      b.append(String.format(Locale.ROOT,
          "| %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %,d | %d | %d | %d |%n",
          r.config().nodes(), r.config().wakeUps() ? "NOTIFY" : "polling only", r.trials().size(),
          r.allRejectedMillis(0.5, null), r.allRejectedMillis(0.99, null), r.allRejectedMillis(1.0, null),
          r.perNodeMillis(0.5), r.perNodeMillis(0.99), r.allRejectedMillis(0.5, ScaleOut.Kind.REVOKE),
          r.allRejectedMillis(0.5, ScaleOut.Kind.ROTATE), r.allRejectedMillis(0.5, ScaleOut.Kind.REMOVE_PERMISSION),
          r.mutationMillis(0.5), r.checks(), r.staleAccepts(), r.neverRejected(), r.reacceptsAfterReject()));
    }
    b.append("\nBy kind of change (the same trials; all nodes: the slowest other node of a trial; per node: every"
        + " other node of every trial of that kind):\n\n");
    b.append("| nodes | wake-ups | change | trials | all nodes p50 | p99 | max | per node p50 | per node p99 |"
        + " per node max |\n");
    b.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScaleOut.Result r : results) {
      for (ScaleOut.Kind k : ScaleOut.Kind.values()) {
        b.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            r.config().nodes(), r.config().wakeUps() ? "NOTIFY" : "polling only", k.label, r.trials(k),
            r.allRejectedMillis(0.5, k), r.allRejectedMillis(0.99, k), r.allRejectedMillis(1.0, k),
            r.perNodeMillis(0.5, k), r.perNodeMillis(0.99, k), r.perNodeMillis(1.0, k)));
      }
    }
    b.append("\n![propagation time against the number of nodes](scale-out.png)\n\n");
    b.append("### Database load\n\n");
    b.append("From `pg_stat_statements` (calls, reset when the trials began) and `pg_stat_database` (commits),"
        + " over the trial window, per second. Readers are nodes 1 to N-1 (role `lk_reader`); node 0 (role"
        + " `lk_writer`) also makes every change: its cache misses are in management. Cache misses include the"
        + " trials' own: every other node reads each trial's new token once before the change and once after it."
        + " Other: transaction control, session settings, LISTEN.\n\n");
    b.append("| nodes | wake-ups | window s | polls/s | polls/s per node | cache-miss reads/s | last-used writes/s |"
        + " management/s | other/s | all statements/s | commits/s | load verifications | load failures |\n");
    b.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScaleOut.Result r : results) {
      ScaleOut.Load l = r.load();
      double s = l.seconds();
      long polls = sum(l, "poll");
      long misses = sum(l, "cache miss");
      long lastUsed = sum(l, "last-used");
      long management = sum(l, "management");
      long other = sum(l, "other");
      long all = polls + misses + lastUsed + management + other;
      b.append(String.format(Locale.ROOT,
          "| %d | %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %,d | %d |%n",
          r.config().nodes(), r.config().wakeUps() ? "NOTIFY" : "polling only", s, polls / s,
          polls / s / r.config().nodes(), misses / s, lastUsed / s, management / s, other / s, all / s,
          l.transactions() / s, r.loadVerifications(), r.loadFailures()));
    }
    return b.toString();
  }

  private static long sum(ScaleOut.Load l, String category) {
    long[] v = l.callsByCategory().get(category);
    return v[0] + v[1];
  }

  // ------------------------------------------------------------------------------------- the chart

  private static final Color POLL = new Color(0x1f77b4);
  private static final Color NOTIFY = new Color(0xff7f0e);

  /** Propagation (all other nodes rejected) p50, p99 and max against N, log2 x axis; the bound as a line. */
  static void chart(List<ScaleOut.Result> results, Path png) {
    int w = 900;
    int h = 520;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int left = 80;
    int right = 230;
    int top = 50;
    int bottom = 60;
    int pw = w - left - right;
    int ph = h - top - bottom;

    TreeSet<Integer> sizes = new TreeSet<>();
    double boundMs = results.get(0).config().bound().toMillis();
    double yMax = boundMs;
    for (ScaleOut.Result r : results) {
      sizes.add(r.config().nodes());
      yMax = Math.max(yMax, r.allRejectedMillis(1.0, null));
    }
    yMax = niceCeiling(yMax * 1.1);
    double xMin = Math.log(sizes.first()) / Math.log(2);
    double xMax = Math.log(sizes.last()) / Math.log(2);
    if (xMax == xMin) {
      xMin -= 1;
      xMax += 1;
    }
    double x0 = xMin - 0.3;
    double x1 = xMax + 0.3;

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString("Latchkey scale-out: time until every other node rejects a change", left, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

    // axes and grid
    g.setColor(new Color(0xdddddd));
    int yTicks = 5;
    for (int i = 0; i <= yTicks; i++) {
      double v = yMax * i / yTicks;
      int y = top + ph - (int) Math.round(ph * v / yMax);
      g.drawLine(left, y, left + pw, y);
    }
    g.setColor(Color.BLACK);
    g.drawLine(left, top, left, top + ph);
    g.drawLine(left, top + ph, left + pw, top + ph);
    for (int i = 0; i <= yTicks; i++) {
      double v = yMax * i / yTicks;
      int y = top + ph - (int) Math.round(ph * v / yMax);
      String label = String.format(Locale.ROOT, "%.0f", v);
      g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    for (int n : sizes) {
      int x = xPixel(n, x0, x1, left, pw);
      g.drawLine(x, top + ph, x, top + ph + 5);
      String label = Integer.toString(n);
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + ph + 20);
    }
    g.drawString("nodes on one PostgreSQL (log scale)", left + pw / 2 - 110, h - 18);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString("ms after the change committed", -(top + ph / 2) - 90, 22);
    rotated.dispose();

    // the bound
    int yb = top + ph - (int) Math.round(ph * boundMs / yMax);
    g.setColor(new Color(0xd62728));
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    g.drawLine(left, yb, left + pw, yb);

    List<String[]> legend = new ArrayList<>();
    for (boolean notify : new boolean[] {false, true}) {
      Color color = notify ? NOTIFY : POLL;
      String mode = notify ? "NOTIFY" : "polling";
      double[] qs = {0.5, 0.99, 1.0};
      String[] names = {"p50", "p99", "max"};
      Stroke[] strokes = {new BasicStroke(2.5f),
          new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 5}, 0),
          new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 4}, 0)};
      for (int q = 0; q < qs.length; q++) {
        List<int[]> points = new ArrayList<>();
        for (ScaleOut.Result r : results) {
          if (r.config().wakeUps() == notify) {
            double v = r.allRejectedMillis(qs[q], null);
            points.add(new int[] {xPixel(r.config().nodes(), x0, x1, left, pw),
                top + ph - (int) Math.round(ph * v / yMax)});
          }
        }
        if (points.isEmpty()) {
          continue;
        }
        points.sort((a, b) -> Integer.compare(a[0], b[0]));
        g.setColor(color);
        g.setStroke(strokes[q]);
        for (int i = 1; i < points.size(); i++) {
          g.drawLine(points.get(i - 1)[0], points.get(i - 1)[1], points.get(i)[0], points.get(i)[1]);
        }
        g.setStroke(new BasicStroke(1f));
        for (int[] p : points) {
          g.fillOval(p[0] - 4, p[1] - 4, 8, 8);
        }
        legend.add(new String[] {mode + " " + names[q], Integer.toString(q), notify ? "1" : "0"});
      }
    }
    // legend
    int lx = left + pw + 20;
    int ly = top + 10;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (String[] entry : legend) {
      int q = Integer.parseInt(entry[1]);
      g.setColor(entry[2].equals("1") ? NOTIFY : POLL);
      g.setStroke(q == 0 ? new BasicStroke(2.5f) : q == 1
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 5}, 0)
          : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 4}, 0));
      g.drawLine(lx, ly, lx + 30, ly);
      g.setColor(Color.BLACK);
      g.drawString(entry[0], lx + 38, ly + 4);
      ly += 22;
    }
    g.setColor(new Color(0xd62728));
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    g.drawLine(lx, ly, lx + 30, ly);
    g.setColor(Color.BLACK);
    g.drawString("staleness bound (" + (long) boundMs + " ms)", lx + 38, ly + 4);
    g.dispose();
    try {
      ImageIO.write(img, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int xPixel(int n, double x0, double x1, int left, int pw) {
    double x = Math.log(n) / Math.log(2);
    return left + (int) Math.round(pw * (x - x0) / (x1 - x0));
  }

  private static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
