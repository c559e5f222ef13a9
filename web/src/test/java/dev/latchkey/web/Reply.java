package dev.latchkey.web;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One HTTP response as a test sees it. */
record Reply(String method, String path, int status, Map<String, List<String>> headers, String body) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  JsonNode json() {
    return JSON.readTree(body);
  }

  String header(String name) {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }

  /** The problem type's slug, e.g. "not-found"; null if the body is not a problem. */
  String problemType() {
    if (!"application/problem+json".equals(header("Content-Type"))) {
      return null;
    }
    String type = json().get("type").asString();
    return type.substring("urn:latchkey:problem:".length());
  }

  String etag() {
    return header("ETag");
  }

  @Override
  public String toString() {
    return method + " " + path + " -> " + status + " " + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
  }
}
