package dev.latchkey.web;

import dev.latchkey.ConfigurationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console: static HTML, CSS and ES modules from the jar, loaded once when the servlet is
 * built (a missing file fails the build of the servlet, not a page view). Only the files listed in
 * {@link #FILES} are served; nothing is looked up by a name taken from the request.
 */
final class Console {
  static final String RESOURCE_ROOT = "/dev/latchkey/web/console/";
  static final String HOME = "my-api-keys.html";

  /** Every file of the console. */
  static final List<String> FILES = List.of(
      "my-api-keys.html",
      "service-accounts.html",
      "service-account.html",
      "console.css",
      "js/api.js",
      "js/dom.js",
      "js/dialogs.js",
      "js/keys.js",
      "js/my-api-keys.js",
      "js/service-accounts.js",
      "js/service-account.js");

  /**
   * The console's Content-Security-Policy: its own scripts and styles only (no inline script or style
   * and no eval), data only from its own origin, no framing, no plugins, forms and base URLs pinned.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

  private record Asset(byte[] bytes, String contentType, String etag) {}

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  Console() {
    for (String name : FILES) {
      byte[] bytes = read(RESOURCE_ROOT + name);
      assets.put(name, new Asset(bytes, contentType(name), "\"" + sha256(bytes) + "\""));
    }
  }

  static byte[] read(String resource) {
    try (InputStream in = Console.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigurationException("resource " + resource + " is missing from the latchkey-web jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    throw new AssertionError(name);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Serves {@code name} (the path below the mount point, without the leading slash); false if unknown. */
  boolean serve(String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
    Asset asset = assets.get(name);
    if (asset == null) {
      return false;
    }
    // Behind sign-in: private to this browser; revalidated on every load (cheap: 304).
    response.setHeader("Cache-Control", "private, no-cache");
    response.setHeader("ETag", asset.etag());
    if (name.endsWith(".html")) {
      pageHeaders(response);
    }
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return true;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(asset.contentType());
    response.setContentLength(asset.bytes().length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(asset.bytes());
    }
    return true;
  }

  static void pageHeaders(HttpServletResponse response) {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  }
}
