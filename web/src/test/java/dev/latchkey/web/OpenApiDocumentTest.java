package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document itself: a valid OpenAPI 3.1 document for swagger-parser (which reports
 * structural errors and unresolvable references as messages), and {@link OpenApiCheck} really
 * refuses responses that do not match it (so that a passing conformance check means something).
 */
class OpenApiDocumentTest {
  @Test
  void isAValidOpenApi31Document() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(OpenApiCheck.get().text(), null, options);
    assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
    OpenAPI api = result.getOpenAPI();
    assertThat(api.getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.getPaths()).hasSize(29);
    assertThat(api.getComponents().getSchemas()).containsKeys("Problem", "Token", "IssuedToken", "Expiration");

    // The parser does complain about a broken document, so its silence above means something.
    String broken = OpenApiCheck.get().text().replace("\"#/components/schemas/TokenPage\"", "\"#/components/schemas/Nope\"")
        .replace("\"openapi\": \"3.1.0\",", "\"openapi\": \"3.1.0\", \"paths\": 7,");
    assertThat(new OpenAPIV3Parser().readContents(broken, null, options).getMessages()).isNotEmpty();
  }

  @Test
  void theCheckRefusesWhatTheDocumentDoesNot() {
    OpenApiCheck check = OpenApiCheck.get();
    Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"), "ETag", List.of("\"1\""));
    String token = """
        {"account":"acme","owner":"acme/user/alice","ownerType":"user","apiKey":"k","id":"t","lookupId":"abcdefghABCDEFGH",
         "name":"T","description":"","tags":{},"status":"active","createdAt":"2026-03-02T10:00:00Z",
         "restriction":null,"rateLimit":null,"version":1}""";
    String path = "/accounts/acme/users/alice/api-keys/k/tokens/t";
    assertThat(check.check("GET", path, 200, json, token)).isEmpty();

    assertThat(check.check("GET", path, 200, json, token.replace(",\"version\":1", "")))
        .as("a required member missing").singleElement().asString().contains("version");
    assertThat(check.check("GET", path, 200, json, token.replace("\"version\":1", "\"version\":1,\"value\":\"x\"")))
        .as("a member the schema does not have").isNotEmpty();
    assertThat(check.check("GET", path, 200, json, token.replace("2026-03-02T10:00:00Z", "yesterday")))
        .as("a date-time that is not one").isNotEmpty();
    assertThat(check.check("GET", path, 200, json, token.replace("\"active\"", "\"dormant\"")))
        .as("a status outside the enum").isNotEmpty();
    String restricted = token.replace("\"restriction\":null,\"rateLimit\":null",
        "\"restriction\":{\"permissions\":[\"read\"],\"roles\":null,\"allowedAddresses\":[\"10.0.0.0/8\"]},"
            + "\"rateLimit\":{\"requests\":10,\"per\":\"PT1S\",\"burst\":10,\"text\":\"10/1s\"}");
    assertThat(check.check("GET", path, 200, json, restricted)).as("a restriction and a limit").isEmpty();
    assertThat(check.check("GET", path, 200, json, token.replace("\"restriction\":null,", "")))
        .as("the restriction left out").isNotEmpty();
    assertThat(check.check("GET", path, 200, json, restricted.replace("\"10.0.0.0/8\"", "\"example.com\"")))
        .as("an address that is not CIDR text").isNotEmpty();
    assertThat(check.check("GET", path, 200, json, restricted.replace(",\"text\":\"10/1s\"", "")))
        .as("a limit without its text form").isNotEmpty();
    assertThat(check.check("GET", path, 200, Map.of("Content-Type", List.of("application/json")), token))
        .as("a documented header missing").singleElement().asString().contains("ETag");
    assertThat(check.check("GET", path, 201, json, token)).as("an undocumented status").isNotEmpty();
    assertThat(check.check("PUT", path, 200, json, token)).as("an undocumented method").isNotEmpty();
    assertThat(check.check("GET", path, 404, Map.of("Content-Type", List.of("application/json")), "{}"))
        .as("a problem with the wrong media type").isNotEmpty();
    assertThat(check.check("GET", path, 404, Map.of("Content-Type", List.of("application/problem+json")),
        "{\"type\":\"urn:latchkey:problem:gone\",\"title\":\"x\",\"status\":404,\"detail\":\"x\"}"))
        .as("a problem type the document does not list").isNotEmpty();
  }
}
