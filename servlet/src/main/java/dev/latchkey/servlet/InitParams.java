package dev.latchkey.servlet;

import dev.latchkey.ConfigurationException;
import dev.latchkey.Latchkey;
import dev.latchkey.TokenVerifier;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** Reads a {@code web.xml} filter's init-params into the same builder the programmatic API uses. */
final class InitParams {
  private static final List<String> KNOWN = List.of(
      LatchkeyFilter.PARAM_VERIFIER_ATTRIBUTE,
      LatchkeyFilter.PARAM_BEARER,
      LatchkeyFilter.PARAM_API_KEY_HEADER,
      LatchkeyFilter.PARAM_REALM,
      LatchkeyFilter.PARAM_MAX_HEADER_LENGTH,
      LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS,
      LatchkeyFilter.PARAM_TRUSTED_PROXIES, LatchkeyFilter.PARAM_FORWARDING_HEADER);

  private InitParams() {}

  static FilterSettings parse(FilterConfig config) {
    String filter = "filter '" + config.getFilterName() + "': ";
    try {
      Enumeration<String> names = config.getInitParameterNames();
      if (names != null) {
        for (String name : Collections.list(names)) {
          if (!KNOWN.contains(name)) {
            throw new ConfigurationException("unknown init-param '" + name + "'; known: " + KNOWN);
          }
        }
      }
      LatchkeyFilter.Builder builder = LatchkeyFilter.builder(verifier(config));
      String bearer = param(config, LatchkeyFilter.PARAM_BEARER);
      if (bearer != null) {
        builder.bearer(LatchkeyFilter.Validation.parseBoolean(LatchkeyFilter.PARAM_BEARER, bearer));
      }
      String header = param(config, LatchkeyFilter.PARAM_API_KEY_HEADER);
      if (header != null) {
        builder.apiKeyHeader(header);
      }
      String realm = param(config, LatchkeyFilter.PARAM_REALM);
      if (realm != null) {
        builder.realm(realm);
      }
      String max = param(config, LatchkeyFilter.PARAM_MAX_HEADER_LENGTH);
      if (max != null) {
        try {
          builder.maxHeaderLength(Integer.parseInt(max));
        } catch (NumberFormatException e) {
          throw new ConfigurationException(
              "init-param " + LatchkeyFilter.PARAM_MAX_HEADER_LENGTH + " must be a whole number of characters");
        }
      }
      String rules = param(config, LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS);
      if (rules != null) {
        for (String entry : rules.split("[,\\s]+")) {
          int eq = entry.indexOf('=');
          if (eq < 0) {
            throw new ConfigurationException("init-param " + LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS
                + " takes entries of the form <path prefix>=<permission>, e.g. /admin=admin");
          }
          builder.requirePermission(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
      String proxies = param(config, LatchkeyFilter.PARAM_TRUSTED_PROXIES);
      if (proxies != null) {
        builder.trustedProxies(proxies.split("[,\\s]+"));
      }
      String forwarding = param(config, LatchkeyFilter.PARAM_FORWARDING_HEADER);
      if (forwarding != null) {
        builder.forwardingHeader(forwarding);
      }
      return builder.settings();
    } catch (ConfigurationException e) {
      throw new ConfigurationException(filter + e.getMessage());
    }
  }

  /** The trimmed value, or null when absent or blank (web.xml values are often indented). */
  private static String param(FilterConfig config, String name) {
    String value = config.getInitParameter(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.strip();
  }

  private static TokenVerifier verifier(FilterConfig config) {
    String attribute = param(config, LatchkeyFilter.PARAM_VERIFIER_ATTRIBUTE);
    if (attribute == null) {
      attribute = LatchkeyFilter.VERIFIER_ATTRIBUTE;
    }
    ServletContext context = config.getServletContext();
    Object value = context == null ? null : context.getAttribute(attribute);
    if (value instanceof TokenVerifier verifier) {
      return verifier;
    }
    if (value instanceof Latchkey latchkey) {
      return latchkey.verifier();
    }
    if (value == null) {
      throw new ConfigurationException("no TokenVerifier in servlet-context attribute '" + attribute
          + "'; set it before filters start, e.g. in a ServletContextListener: "
          + "context.setAttribute(LatchkeyFilter.VERIFIER_ATTRIBUTE, latchkey.verifier())");
    }
    throw new ConfigurationException("servlet-context attribute '" + attribute + "' holds a "
        + value.getClass().getName() + ", not a TokenVerifier or Latchkey");
  }
}
