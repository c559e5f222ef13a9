package dev.latchkey.servlet;

import dev.latchkey.Verified;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * Path prefixes that require a permission. A prefix covers itself and everything below it, by whole
 * segments: {@code /admin} covers {@code /admin} and {@code /admin/users}, not {@code /administrator};
 * {@code /} covers everything. Every rule whose prefix covers the path applies (they add up), so a
 * rule for a sub-path never weakens one for its parent.
 *
 * <p>The path is the request's path inside the web application as the container decoded and
 * normalised it ({@code servletPath + pathInfo}), the same path servlet mappings and security
 * constraints are matched against; it is never the raw request URI.
 */
final class PermissionRules {
  record Rule(String prefix, String permission) {
    boolean covers(String path) {
      if (prefix.equals("/")) {
        return true;
      }
      return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    @Override
    public String toString() {
      return prefix + "=" + permission;
    }
  }

  private final List<Rule> rules;

  PermissionRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The first permission the path requires that {@code verified} lacks, or null if none. */
  String firstMissing(HttpServletRequest request, Verified verified) {
    if (rules.isEmpty()) {
      return null;
    }
    String path = pathInContext(request);
    for (Rule rule : rules) {
      if (rule.covers(path) && !verified.hasPermission(rule.permission())) {
        return rule.permission();
      }
    }
    return null;
  }

  static String pathInContext(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }

  @Override
  public String toString() {
    return rules.toString();
  }
}
