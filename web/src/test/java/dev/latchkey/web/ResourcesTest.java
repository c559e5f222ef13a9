package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Rejected;
import dev.latchkey.Verified;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every resource and method of the API, used as a client would, with the answers checked against
 * Latchkey itself (a token issued over HTTP verifies; a deleted one does not). {@link
 * #everyOperationOfTheDocument} walks every operation the OpenAPI document lists and then requires
 * that each was answered with a 2xx that conformed to it.
 */
class ResourcesTest extends WebTest {
  private static final String ALICE_KEYS = "accounts/acme/users/alice/api-keys";
  private static final String BOT = "accounts/acme/service-accounts/bot";

  @Override
  World createWorld() {
    return new World(b -> b.acceptLegacyTokens(true), b -> {});
  }

  @Test
  void sessionSaysWhoIsCalling() {
    JsonNode alice = as(World.ALICE).get("session").json();
    assertThat(alice.get("actor").asString()).isEqualTo("acme/user/alice");
    assertThat(alice.get("credential").asString()).isEqualTo("session");
    assertThat(alice.get("principal").get("name").asString()).isEqualTo("Alice");
    assertThat(alice.get("csrfToken").asString()).hasSizeGreaterThanOrEqualTo(40);

    JsonNode system = as(World.SYSTEM).get("session").json();
    assertThat(system.get("actor").asString()).isEqualTo("system");
    assertThat(system.has("principal")).isFalse();

    String token = issueAsSystem("acme/user/alice", "k", "t");
    JsonNode bearer = bearer(token).get("session").json();
    assertThat(bearer.get("actor").asString()).isEqualTo("acme/user/alice");
    assertThat(bearer.get("credential").asString()).isEqualTo("bearer");
    assertThat(bearer.has("csrfToken")).isFalse();
  }

  @Test
  void personalKeyAndTokenLifecycle() {
    Client alice = as(World.ALICE);
    Reply created = alice.post(ALICE_KEYS, Map.of("id", "laptop", "name", "Laptop", "description", "my laptop",
        "tags", Map.of("env", "dev", "team", "")));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/app/latchkey/api/v1/" + ALICE_KEYS + "/laptop");
    assertThat(created.etag()).isEqualTo("\"1\"");
    JsonNode key = created.json();
    assertThat(key.get("owner").asString()).isEqualTo("acme/user/alice");
    assertThat(key.get("scope").asString()).isEqualTo("acme");
    assertThat(key.get("tags").get("env").asString()).isEqualTo("dev");

    Reply issued = alice.post(ALICE_KEYS + "/laptop/tokens", Map.of("id", "cli", "name", "CLI", "tags", Map.of("tool", "curl"),
        "expiration", Map.of("date", "12/31/2026", "timeZone", "America/New_York")));
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
    String value = issued.json().get("value").asString();
    JsonNode token = issued.json().get("token");
    assertThat(token.get("expiresAt").asString()).isEqualTo("2027-01-01T05:00:00Z");
    assertThat(token.get("status").asString()).isEqualTo("active");
    assertThat(token.has("lastUsedFrom")).as("never used").isFalse();
    Verified verified = (Verified) world.latchkey.verifier().verify(value,
        dev.latchkey.RequestContext.fromAddress("2001:db8::0:0:5"));
    assertThat(verified.principal()).isEqualTo(PrincipalRef.user("acme", "alice"));
    world.latchkey.flushLastUsed();
    JsonNode used = alice.get(ALICE_KEYS + "/laptop/tokens/cli").json(); // validated against the OpenAPI schema
    assertThat(used.get("lastUsedAt").asString()).isEqualTo(used.get("createdAt").asString());
    assertThat(used.get("lastUsedFrom").asString()).isEqualTo("2001:db8::5");

    assertThat(alice.get(ALICE_KEYS).json().get("items")).hasSize(1);
    assertThat(alice.get(ALICE_KEYS + "/laptop").etag()).isEqualTo("\"1\"");
    Reply listed = alice.get(ALICE_KEYS + "/laptop/tokens");
    assertThat(listed.json().get("items").get(0).get("id").asString()).isEqualTo("cli");

    Reply editedKey = alice.patch(ALICE_KEYS + "/laptop", Map.of("name", "Work laptop", "tags", Map.of()));
    assertThat(editedKey.json().get("name").asString()).isEqualTo("Work laptop");
    assertThat(editedKey.json().get("description").asString()).isEqualTo("my laptop");
    assertThat(editedKey.json().get("tags").size()).isZero();
    assertThat(editedKey.etag()).isEqualTo("\"2\"");

    Reply editedToken = alice.patch(ALICE_KEYS + "/laptop/tokens/cli",
        Map.of("description", "for scripts", "expiration", Map.of("at", "2026-06-30T12:00:00Z")));
    assertThat(editedToken.json().get("expiresAt").asString()).isEqualTo("2026-06-30T12:00:00Z");
    assertThat(editedToken.json().get("name").asString()).isEqualTo("CLI");
    assertThat(alice.get(ALICE_KEYS + "/laptop/tokens/cli").json().get("description").asString()).isEqualTo("for scripts");

    Reply rotated = alice.post(ALICE_KEYS + "/laptop/tokens/cli/rotate", Map.of("grace", "PT1H",
        "expiration", Map.of("after", "P60D")));
    assertThat(rotated.status()).isEqualTo(201);
    String newValue = rotated.json().get("value").asString();
    assertThat(newValue).isNotEqualTo(value);
    assertThat(rotated.json().get("token").get("previousValidUntil").asString()).isEqualTo("2026-03-02T11:00:00Z");
    assertThat(world.latchkey.verifier().verify(value).isValid()).as("old value within the grace").isTrue();
    world.clock.advance(Duration.ofMinutes(61));
    world.latchkey.invalidateCache();
    assertThat(world.latchkey.verifier().verify(value).isValid()).as("old value after the grace").isFalse();
    assertThat(world.latchkey.verifier().verify(newValue).isValid()).isTrue();

    Reply revoked = alice.post(ALICE_KEYS + "/laptop/tokens/cli/revoke", null);
    assertThat(revoked.json().get("status").asString()).isEqualTo("revoked");
    assertThat(world.latchkey.verifier().verify(newValue)).isInstanceOf(Rejected.class);

    assertThat(alice.delete(ALICE_KEYS + "/laptop/tokens/cli").status()).isEqualTo(204);
    assertThat(alice.get(ALICE_KEYS + "/laptop/tokens/cli").status()).isEqualTo(404);
    assertThat(alice.delete(ALICE_KEYS + "/laptop").status()).isEqualTo(204);
    assertThat(alice.get(ALICE_KEYS).json().get("items")).isEmpty();
  }

  @Test
  void deletingAKeyDeletesItsTokens() {
    Client alice = as(World.ALICE);
    alice.post(ALICE_KEYS, Map.of("id", "k", "name", "K"));
    String value = alice.post(ALICE_KEYS + "/k/tokens", Map.of("id", "t", "name", "T")).json().get("value").asString();
    assertThat(world.latchkey.verifier().verify(value).isValid()).isTrue();
    assertThat(alice.delete(ALICE_KEYS + "/k").status()).isEqualTo(204);
    assertThat(world.latchkey.verifier().verify(value).isValid()).isFalse();
  }

  @Test
  void serviceAccountsAtEveryScope() {
    Client admin = as(World.ADMIN);
    for (String[] sa : new String[][] {{"acct_bot", "acme"}, {"org_bot", "acme/eng"}, {"proj_bot", "acme/eng/api"}}) {
      Reply r = admin.post("accounts/acme/service-accounts", Map.of("id", sa[0], "name", sa[0], "scope", sa[1],
          "permissions", List.of("deploy")));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      assertThat(r.json().get("scope").asString()).isEqualTo(sa[1]);
      assertThat(r.json().get("type").asString()).isEqualTo("service_account");
      Reply key = admin.post("accounts/acme/service-accounts/" + sa[0] + "/api-keys", Map.of("id", "k", "name", "K"));
      assertThat(key.json().get("scope").asString()).as("a service account's keys live at its scope").isEqualTo(sa[1]);
    }
    List<String> withinEng = ids(admin.get("accounts/acme/service-accounts?scope=acme/eng"));
    assertThat(withinEng).containsExactlyInAnyOrder("bot", "org_bot", "proj_bot");
    assertThat(ids(admin.get("accounts/acme/service-accounts?scope=acme/eng/api"))).containsExactly("proj_bot");
    assertThat(ids(admin.get("accounts/acme/service-accounts"))).hasSize(5);

    Reply edited = admin.patch(BOT, Map.of("name", "Build robot", "permissions", List.of("deploy", "read")));
    assertThat(edited.json().get("permissions").toString()).isEqualTo("[\"deploy\",\"read\"]");
    assertThat(edited.json().get("scope").asString()).isEqualTo("acme/eng");

    String value = admin.post(BOT + "/api-keys", Map.of("id", "ci", "name", "CI")).status() == 201
        ? admin.post(BOT + "/api-keys/ci/tokens", Map.of("id", "main", "name", "Main")).json().get("value").asString()
        : null;
    assertThat(value).startsWith("lk_sat_");
    assertThat(world.latchkey.verifier().verify(value).isValid()).isTrue();
    Reply disabled = admin.post(BOT + "/disable", null);
    assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
    assertThat(world.latchkey.verifier().verify(value).isValid()).as("a disabled service account's token").isFalse();
    assertThat(admin.post(BOT + "/enable", null).json().get("enabled").asBoolean()).isTrue();
    assertThat(world.latchkey.verifier().verify(value).isValid()).isTrue();
    assertThat(admin.delete(BOT).status()).isEqualTo(204);
    assertThat(world.latchkey.verifier().verify(value).isValid()).isFalse();
    assertThat(admin.get(BOT).status()).isEqualTo(404);
  }

  @Test
  void usersAreManagedByAdmins() {
    Client admin = as(World.ADMIN);
    Reply created = admin.post("accounts/acme/users", Map.of("id", "carol", "name", "Carol", "roles", List.of("dev")));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("ref").asString()).isEqualTo("acme/user/carol");
    assertThat(admin.patch("accounts/acme/users/carol", Map.of("description", "new hire")).json()
        .get("description").asString()).isEqualTo("new hire");
    assertThat(admin.post("accounts/acme/users/carol/disable", null).json().get("enabled").asBoolean()).isFalse();
    assertThat(admin.post("accounts/acme/users/carol/enable", null).json().get("enabled").asBoolean()).isTrue();
    assertThat(admin.delete("accounts/acme/users/carol").status()).isEqualTo(204);
    assertThat(ids(admin.get("accounts/acme/users"))).containsExactly("admin", "alice", "bob", "ops");
  }

  @Test
  void listingsAreCursorPaginated() {
    Client admin = as(World.ADMIN);
    List<String> seen = new ArrayList<>();
    String path = "accounts/acme/users?limit=3";
    int pages = 0;
    while (path != null) {
      JsonNode page = admin.get(path).json();
      pages++;
      page.get("items").forEach(p -> seen.add(p.get("id").asString()));
      path = page.has("nextCursor") ? "accounts/acme/users?limit=3&cursor=" + page.get("nextCursor").asString() : null;
    }
    assertThat(seen).containsExactly("admin", "alice", "bob", "ops");
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void systemOnlyResources() {
    Client system = as(World.SYSTEM);
    Reply created = system.post("accounts", Map.of("id", "initech", "name", "Initech"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).endsWith("/api/v1/accounts/initech");
    assertThat(ids(system.get("accounts"))).containsExactly("acme", "initech", "other");
    assertThat(system.get("accounts/initech").json().get("name").asString()).isEqualTo("Initech");
    assertThat(system.delete("accounts/initech").status()).isEqualTo(204);
    assertThat(system.get("accounts/initech").status()).isEqualTo(404);

    issueAsSystem("acme/user/alice", "k", "soon", Duration.ofDays(10));
    issueAsSystem("acme/user/alice", "k", "later", Duration.ofDays(60));
    assertThat(ids(system.get("expiring-tokens"))).containsExactly("soon");
    assertThat(ids(system.get("expiring-tokens?within=P90D"))).containsExactlyInAnyOrder("soon", "later");
    assertThat(ids(system.get("expiring-tokens?from=2026-04-01T00:00:00Z&to=2026-06-01T00:00:00Z")))
        .containsExactly("later");
    JsonNode usage = system.get("hash-usage").json().get("items");
    assertThat(usage.get(0).get("scheme").asString()).isEqualTo("hmac-sha256");
    assertThat(usage.get(0).get("count").asLong()).isEqualTo(2);
  }

  @Test
  void theAuditTrailPagesNewestFirstAndFilters() {
    issueAsSystem("acme/user/alice", "k", "t1");
    world.clock.advance(Duration.ofMinutes(1));
    issueAsSystem("acme/user/alice", "k", "t2");
    Client admin = as(World.ADMIN);
    Reply all = admin.get("accounts/acme/audit-events?principal=acme/user/alice");
    assertThat(all.status()).isEqualTo(200);
    List<String> actions = new ArrayList<>();
    all.json().get("items").forEach(i -> actions.add(i.get("action").asString() + " " + i.get("target").asString()));
    assertThat(actions).startsWith("TOKEN_ISSUED acme/user/alice/k/t2", "TOKEN_ISSUED acme/user/alice/k/t1",
        "API_KEY_CREATED acme/user/alice/k");
    JsonNode first = all.json().get("items").get(0);
    assertThat(first.get("actor").asString()).isEqualTo("system");
    assertThat(first.get("account").asString()).isEqualTo("acme");
    assertThat(first.get("details").get("lookupId").asString()).hasSize(16);

    Reply page = admin.get("accounts/acme/audit-events?principal=acme/user/alice&limit=1");
    String cursor = page.json().get("nextCursor").asString();
    Reply next = admin.get("accounts/acme/audit-events?principal=acme/user/alice&limit=1&cursor=" + cursor);
    assertThat(next.json().get("items").get(0).get("target").asString()).isEqualTo("acme/user/alice/k/t1");

    Reply window = admin.get("accounts/acme/audit-events?since=" + World.START.plusSeconds(30) + "&until="
        + World.START.plusSeconds(90));
    assertThat(window.json().get("items")).hasSize(1);
    assertThat(admin.get("accounts/acme/audit-events?token=acme/user/alice/k/t1").json().get("items")).hasSize(1);
    assertThat(as(World.ALICE).get("accounts/acme/audit-events?key=acme/user/alice/k").json().get("items")).hasSize(3);
    assertThat(as(World.ALICE).get("accounts/acme/audit-events").status()).isEqualTo(403);
  }

  @Test
  void importsALegacyToken() {
    String hash = OpenBSDBCrypt.generate("2b", "legacy-secret-12345".toCharArray(), new byte[16], 4);
    Client admin = as(World.ADMIN);
    admin.post(BOT + "/api-keys", Map.of("id", "old", "name", "Old"));
    Reply imported = admin.post(BOT + "/api-keys/old/legacy-tokens", Map.of("id", "imported", "name", "Imported",
        "legacyAccountId", "acme", "legacyTokenId", "tok1", "bcryptHash", hash));
    assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
    assertThat(imported.json().has("value")).isFalse();
    assertThat(world.latchkey.verifier().verify("sat.acme.tok1.legacy-secret-12345").isValid()).isTrue();
  }

  @Test
  void openApiDocumentIsServed() {
    Reply doc = as(World.ALICE).get("openapi.json");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.header("Content-Type")).isEqualTo("application/openapi+json");
    assertThat(doc.body()).isEqualTo(OpenApiCheck.get().text());
  }

  /** Every operation of the OpenAPI document, each answered with a 2xx that conforms to it. */
  @Test
  void everyOperationOfTheDocument() {
    OpenApiCheck.get().seen().clear();
    Client system = as(World.SYSTEM);
    Client admin = as(World.ADMIN);
    system.get("session");
    system.get("openapi.json");
    system.get("accounts");
    system.post("accounts", Map.of("id", "initech", "name", "Initech"));
    system.get("accounts/initech");
    system.get("expiring-tokens");
    system.get("hash-usage");
    String hash = OpenBSDBCrypt.generate("2b", "legacy-secret-12345".toCharArray(), new byte[16], 4);
    for (String type : List.of("users", "service-accounts")) {
      String base = "accounts/acme/" + type;
      admin.get(base);
      admin.post(base, Map.of("id", "p", "name", "P"));
      admin.get(base + "/p");
      admin.patch(base + "/p", Map.of("name", "P2"));
      admin.post(base + "/p/disable", null);
      admin.post(base + "/p/enable", null);
      // Personal credentials are minted by their own user only: sign in as the new user for those.
      Client owner = type.equals("users") ? as("acme/user/p") : admin;
      String keys = base + "/p/api-keys";
      owner.post(keys, Map.of("id", "k", "name", "K"));
      owner.get(keys);
      owner.get(keys + "/k");
      owner.patch(keys + "/k", Map.of("name", "K2"));
      owner.post(keys + "/k/tokens", Map.of("id", "t", "name", "T"));
      owner.get(keys + "/k/tokens");
      owner.get(keys + "/k/tokens/t");
      owner.patch(keys + "/k/tokens/t", Map.of("name", "T2"));
      owner.post(keys + "/k/tokens/t/rotate", Map.of());
      owner.post(keys + "/k/tokens/t/revoke", null);
      owner.delete(keys + "/k/tokens/t");
      Client importer = type.equals("users") ? system : admin;
      importer.post(keys + "/k/legacy-tokens", Map.of("id", "imp", "name", "Imp", "legacyAccountId", "acme",
          "legacyTokenId", "tok_" + type.length(), "bcryptHash", hash));
      owner.delete(keys + "/k");
      admin.delete(base + "/p");
    }
    system.delete("accounts/initech");
    admin.get("accounts/acme/audit-events?limit=5");

    List<String> missing = new ArrayList<>();
    for (String operation : OpenApiCheck.get().operations()) {
      Set<Integer> statuses = OpenApiCheck.get().seen().getOrDefault(operation, Set.of());
      if (statuses.stream().noneMatch(s -> s >= 200 && s < 300)) {
        missing.add(operation + " " + statuses);
      }
    }
    assertThat(missing).as("operations never answered with a 2xx").isEmpty();
    assertThat(OpenApiCheck.get().operations()).as("9 + 20 for each of users and service accounts").hasSize(49);
  }

  private static List<String> ids(Reply page) {
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    page.json().get("items").forEach(i -> ids.add(i.get("id").asString()));
    return ids;
  }

  private String issueAsSystem(String owner, String key, String token) {
    return issueAsSystem(owner, key, token, Duration.ofDays(30));
  }

  /** Straight through Latchkey, not HTTP: a fixture, so its value is never in a reply. */
  private String issueAsSystem(String owner, String key, String token, Duration lifetime) {
    ApiKeyRef ref = PrincipalRef.parse(owner).apiKey(key);
    if (world.manager.listApiKeys(Actor.system(), ref.owner(), dev.latchkey.PageRequest.first()).items().stream()
        .noneMatch(k -> k.ref().equals(ref))) {
      world.manager.createApiKey(Actor.system(), dev.latchkey.NewApiKey.of(ref.owner(), key, key));
    }
    return world.manager.issueToken(Actor.system(), dev.latchkey.NewToken.of(ref, token, token)
        .expiring(dev.latchkey.Expiration.after(lifetime))).value().reveal();
  }
}
