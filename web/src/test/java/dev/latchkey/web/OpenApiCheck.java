package dev.latchkey.web;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks real responses against the module's OpenAPI document: the path and method must be an
 * operation of the document, the status one of its responses (or its {@code default}), the media
 * type one the response lists, every header the response declares must be present, and the body
 * must validate against the response's schema, with networknt's JSON Schema validator in the OpenAPI
 * 3.1 dialect (format assertions on: date-time values are checked). Records which operations and
 * statuses were seen, so a test can require that every operation was exercised.
 */
final class OpenApiCheck {
  static final String RESOURCE = "/dev/latchkey/web/openapi.json";
  private static final String DOCUMENT_URI = "https://latchkey.invalid/openapi.json";
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final OpenApiCheck INSTANCE = new OpenApiCheck();

  private final String text;
  private final JsonNode doc;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<Pattern, String> templates = new LinkedHashMap<>();
  /** "METHOD template" to the statuses seen. */
  private final Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();

  private OpenApiCheck() {
    try (InputStream in = OpenApiCheck.class.getResourceAsStream(RESOURCE)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    doc = JSON.readTree(text);
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
        b -> b.schemas(Map.of(DOCUMENT_URI, text)).schemaRegistryConfig(config));
    for (Iterator<String> it = doc.get("paths").propertyNames().iterator(); it.hasNext(); ) {
      String template = it.next();
      String regex = Pattern.quote(template).replaceAll("\\{[A-Za-z]+\\}", "\\\\E[^/]+\\\\Q");
      templates.put(Pattern.compile(regex), template);
    }
  }

  static OpenApiCheck get() {
    return INSTANCE;
  }

  String text() {
    return text;
  }

  JsonNode document() {
    return doc;
  }

  /** Every "METHOD template" the document describes. */
  List<String> operations() {
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (String method : List.of("get", "post", "patch", "put", "delete")) {
        if (path.getValue().has(method)) {
          out.add(method.toUpperCase() + " " + path.getKey());
        }
      }
    }
    return out;
  }

  Map<String, Set<Integer>> seen() {
    return seen;
  }

  /**
   * Validates one exchange; {@code apiPath} is the path below {@code api/v1} without the query,
   * e.g. {@code /accounts/acme}. Returns the problems found (empty: conforms).
   */
  List<String> check(String method, String apiPath, int status, Map<String, List<String>> headers, String body) {
    List<String> problems = new ArrayList<>();
    String template = null;
    for (Map.Entry<Pattern, String> t : templates.entrySet()) {
      if (t.getKey().matcher(apiPath).matches()) {
        template = t.getValue();
        break;
      }
    }
    if (template == null) {
      if (status != 404) {
        problems.add(method + " " + apiPath + ": not a path of the document, yet answered " + status);
      }
      return problems;
    }
    JsonNode operation = doc.get("paths").get(template).get(method.toLowerCase());
    if (operation == null) {
      if (status != 405) {
        problems.add(method + " " + template + ": not an operation of the document, yet answered " + status);
      }
      return problems;
    }
    seen.computeIfAbsent(method + " " + template, k -> ConcurrentHashMap.newKeySet()).add(status);
    JsonNode response = operation.get("responses").get(Integer.toString(status));
    if (response == null) {
      response = operation.get("responses").get("default");
      if (response == null || status < 400) {
        problems.add(method + " " + template + ": status " + status + " is not documented");
        return problems;
      }
    }
    response = deref(response);
    JsonNode content = response.get("content");
    String contentType = first(headers, "content-type");
    if (content == null) {
      if (body != null && !body.isEmpty()) {
        problems.add(method + " " + template + " " + status + ": documented without a body, but has one");
      }
    } else {
      String mediaType = contentType == null ? null : contentType.split(";")[0].trim();
      if (mediaType == null || !content.has(mediaType)) {
        problems.add(method + " " + template + " " + status + ": media type " + mediaType + " is not documented");
      } else if (!mediaType.equals("application/openapi+json")) {
        JsonNode schemaNode = content.get(mediaType).get("schema");
        Schema schema = schemaFor(schemaNode);
        for (Error e : schema.validate(JSON.readTree(body))) {
          problems.add(method + " " + template + " " + status + ": " + e.getMessage());
        }
      }
    }
    JsonNode declared = response.get("headers");
    if (declared != null) {
      for (Iterator<String> it = declared.propertyNames().iterator(); it.hasNext(); ) {
        String name = it.next();
        String value = first(headers, name.toLowerCase());
        if (value == null) {
          problems.add(method + " " + template + " " + status + ": documented header " + name + " is missing");
        } else if (name.equalsIgnoreCase("Cache-Control") && !value.equals("no-store")) {
          problems.add(method + " " + template + " " + status + ": Cache-Control is '" + value + "', not no-store");
        }
      }
    }
    return problems;
  }

  private Schema schemaFor(JsonNode schemaNode) {
    String ref = schemaNode.has("$ref") ? schemaNode.get("$ref").asString() : null;
    if (ref == null) {
      throw new IllegalStateException("response schemas are $refs in this document: " + schemaNode);
    }
    return schemas.computeIfAbsent(ref, r -> registry.getSchema(SchemaLocation.of(DOCUMENT_URI + r)));
  }

  private JsonNode deref(JsonNode node) {
    if (!node.has("$ref")) {
      return node;
    }
    String pointer = node.get("$ref").asString().substring(1);
    return doc.at(pointer);
  }

  private static String first(Map<String, List<String>> headers, String lowerName) {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(lowerName) && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }
}
