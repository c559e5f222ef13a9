package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-path permission requirements (403 insufficient_scope), with a realm. */
class PermissionRulesTest {
  private static Fixture fixture;
  private static TestServer server;
  private static String deployer;
  private static String admin;
  /** Holds roles named like every permission the rules require, and none of those permissions. */
  private static String rolesOnly;

  @BeforeAll
  static void start() {
    fixture = new Fixture();
    server = TestServer.start(LatchkeyFilter.builder(fixture.latchkey.verifier())
        .realm("acme-api")
        .requirePermission("/admin/", "admin")
        .requirePermission("/deploy", "deploy")
        .requirePermission("/deploy/prod", "deploy:prod")
        .build());
    deployer = fixture.serviceAccount("ci_bot", Set.of(), Set.of("deploy")).token();
    admin = fixture.serviceAccount("root_bot", Set.of(), Set.of("admin", "deploy", "deploy:prod")).token();
    rolesOnly = fixture.serviceAccount("role_bot", Set.of("admin", "deploy", "deploy:prod"), Set.of("read")).token();
  }

  @AfterAll
  static void stop() {
    server.close();
    fixture.close();
  }

  private static void forbidden(Reply reply, String... tokens) {
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.headerValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"acme-api\", error=\"insufficient_scope\"");
    Expect.common(reply, Expect.FORBIDDEN_BODY, tokens);
  }

  @Test
  void principalWithThePermissionPasses() {
    assertThat(server.bearer("/deploy/staging", deployer).status()).isEqualTo(200);
    assertThat(server.bearer("/deploy", deployer).status()).isEqualTo(200);
    assertThat(server.bearer("/admin/users", admin).status()).isEqualTo(200);
    assertThat(server.bearer("/deploy/prod/now", admin).status()).isEqualTo(200);
  }

  @Test
  void principalWithoutItGets403() {
    forbidden(server.bearer("/admin", deployer), deployer);
    forbidden(server.bearer("/admin/", deployer), deployer);
    forbidden(server.bearer("/admin/users/7", deployer), deployer);
  }

  @Test
  void aRoleNamedLikeTheRequiredPermissionIsNotThePermission() {
    forbidden(server.bearer("/admin", rolesOnly), rolesOnly);
    forbidden(server.bearer("/admin/users", rolesOnly), rolesOnly);
    forbidden(server.bearer("/deploy", rolesOnly), rolesOnly);
    forbidden(server.bearer("/deploy/prod/now", rolesOnly), rolesOnly);
    Reply open = server.bearer("/public", rolesOnly);
    assertThat(open.status()).as("authenticated, where no permission is required").isEqualTo(200);
    assertThat(open.echoed()).containsEntry("role.admin", "true").containsEntry("permission.admin", "false");
  }

  @Test
  void rulesAddUpSoASubPathNeverWeakensItsParent() {
    forbidden(server.bearer("/deploy/prod", deployer), deployer);
    forbidden(server.bearer("/deploy/prod/x", deployer), deployer);
  }

  @Test
  void prefixesMatchWholeSegmentsOnly() {
    assertThat(server.bearer("/administrator", deployer).status()).isEqualTo(200);
    assertThat(server.bearer("/deployment", deployer).status()).isEqualTo(200);
    assertThat(server.bearer("/deploy/production", deployer).status()).isEqualTo(200);
  }

  @Test
  void rulesApplyToTheDecodedNormalisedPathNotTheRawUri() {
    forbidden(server.bearer("/%61dmin/users", deployer), deployer);
    Reply dotDot = TestServer.raw(server.port(), "/public/../admin/users", "Authorization: Bearer " + deployer);
    forbidden(dotDot, deployer);
    Reply pathParam = TestServer.raw(server.port(), "/admin;x=y/users", "Authorization: Bearer " + deployer);
    forbidden(pathParam, deployer); // path parameters are not part of the servlet path

    Reply encodedDots = TestServer.raw(server.port(), "/public/%2e%2e/admin", "Authorization: Bearer " + deployer);
    assertThat(encodedDots.status()).isEqualTo(400); // Jetty 12 refuses ambiguous segments before any filter
    Expect.notEchoed(encodedDots, deployer);
  }

  @Test
  void authenticationComesBeforeAuthorisation() {
    Reply missing = server.get("/admin");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.headerValues("WWW-Authenticate")).containsExactly("Bearer realm=\"acme-api\"");
    Expect.common(missing, Expect.MISSING_BODY);

    Reply invalid = server.bearer("/admin", deployer + "x");
    assertThat(invalid.status()).isEqualTo(401);
    assertThat(invalid.headerValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"acme-api\", error=\"invalid_token\"");
    Expect.common(invalid, Expect.INVALID_BODY, deployer);
  }
}
