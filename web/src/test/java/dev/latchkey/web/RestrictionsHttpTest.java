package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.AuditAction;
import dev.latchkey.AuditQuery;
import dev.latchkey.NewUser;
import dev.latchkey.PageRequest;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RateLimit;
import dev.latchkey.RateLimited;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.RequestContext;
import dev.latchkey.Restriction;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Restrictions (permissions, roles, allowed addresses) and rate limits through the management API
 * in real Jetty: shown on keys and tokens, set on create and issue, edited by PATCH with explicit
 * semantics (left out: unchanged; {@code null}: removed; a value: replaces the whole), and checked
 * through the Latchkey instance behind the API, not only by reading the JSON back.
 */
class RestrictionsHttpTest extends WebTest {
  /** carol holds read and write; her key "k" is created over HTTP in each test. */
  private static final String CAROL = "acme/user/carol";
  private static final String KEYS = "accounts/acme/users/carol/api-keys";
  private static final String KEY = KEYS + "/k";
  private static final String TOKENS = KEY + "/tokens";
  private static final PrincipalRef CAROL_REF = PrincipalRef.parse(CAROL);
  private static final TokenRef T = CAROL_REF.apiKey("k").token("t");

  private Client carol;

  @BeforeEach
  void carolAndHerKey() {
    world.manager.createUser(Actor.system(), NewUser.of("acme", "carol", "Carol").withPermissions(Set.of("read", "write")));
    carol = as(CAROL);
    assertThat(carol.post(KEYS, "{\"id\":\"k\",\"name\":\"K\"}").status()).isEqualTo(201);
  }

  private VerificationResult verifyFrom(String value, String address) {
    return world.latchkey.verifier().verify(value, RequestContext.fromAddress(address));
  }

  private Token stored() {
    return world.manager.getToken(Actor.system(), T);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** The done-when example, over HTTP: only read, only from 10.0.0.0/8, at most 10 requests per second. */
  @Test
  void aTokenThatMayOnlyReadFromTenSlashEightTenTimesASecond() {
    Reply issued = carol.post(TOKENS, """
        {"id":"t","name":"T","restriction":{"permissions":["read"],"allowedAddresses":["10.0.0.0/8"]},"rateLimit":"10/1s"}""");
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    String value = issued.json().get("value").asString();
    JsonNode shown = issued.json().get("token");
    assertThat(strings(shown.get("restriction").get("permissions"))).containsExactly("read");
    assertThat(shown.get("restriction").get("roles").isNull()).as("roles not restricted").isTrue();
    assertThat(strings(shown.get("restriction").get("allowedAddresses"))).containsExactly("10.0.0.0/8");
    assertThat(shown.get("rateLimit").get("requests").asLong()).isEqualTo(10);
    assertThat(shown.get("rateLimit").get("per").asString()).isEqualTo("PT1S");
    assertThat(shown.get("rateLimit").get("burst").asLong()).isEqualTo(10);
    assertThat(shown.get("rateLimit").get("text").asString()).isEqualTo("10/1s");

    // read back, and the listing shows the same
    Reply read = carol.get(TOKENS + "/t");
    assertThat(read.json().get("restriction")).isEqualTo(shown.get("restriction"));
    assertThat(read.json().get("rateLimit")).isEqualTo(shown.get("rateLimit"));
    assertThat(carol.get(TOKENS).json().get("items").get(0).get("restriction")).isEqualTo(shown.get("restriction"));
    // and the core holds exactly that
    assertThat(stored().restriction()).isEqualTo(Restriction.permissions("read").withAllowedAddresses("10.0.0.0/8"));
    assertThat(stored().rateLimit()).isEqualTo(RateLimit.of(10, Duration.ofSeconds(1)));

    // what the token carries: carol holds read and write, the token only read; only from 10/8; 10 a second
    VerificationResult inside = verifyFrom(value, "10.1.2.3");
    assertThat(inside).isInstanceOf(Verified.class);
    assertThat(((Verified) inside).permissions()).containsExactly("read");
    assertThat(verifyFrom(value, "192.0.2.1")).isInstanceOf(Rejected.class)
        .extracting(r -> ((Rejected) r).reason()).isEqualTo(RejectReason.ADDRESS_NOT_ALLOWED);
    for (int i = 1; i < 10; i++) { // the first of the ten was above
      assertThat(verifyFrom(value, "10.1.2.3")).as("request %d", i + 1).isInstanceOf(Verified.class);
    }
    assertThat(verifyFrom(value, "10.1.2.3")).as("the eleventh within the second").isInstanceOf(RateLimited.class);

    // narrow by PATCH (If-Match): only from 10.1.0.0/16, 5 a second; read stays
    Reply narrowed = carol.call("PATCH", TOKENS + "/t").ifMatch(read.etag()).json("""
        {"restriction":{"permissions":["read"],"allowedAddresses":["10.1.0.0/16"]},"rateLimit":{"requests":5,"per":"PT1S"}}""")
        .send();
    assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
    assertThat(strings(narrowed.json().get("restriction").get("allowedAddresses"))).containsExactly("10.1.0.0/16");
    assertThat(narrowed.json().get("rateLimit").get("text").asString()).isEqualTo("5/1s");
    world.clock.advance(Duration.ofSeconds(2)); // the bucket refills; the narrowing is what is checked
    VerificationResult stillInside = verifyFrom(value, "10.1.9.9");
    assertThat(stillInside).isInstanceOf(Verified.class);
    assertThat(((Verified) stillInside).permissions()).as("effective permissions").containsExactly("read");
    assertThat(((Verified) stillInside).tokenRestriction().allowedAddresses()).hasSize(1);
    assertThat(verifyFrom(value, "10.2.0.1")).as("inside 10/8, outside the narrowed 10.1/16")
        .isInstanceOf(Rejected.class).extracting(r -> ((Rejected) r).reason()).isEqualTo(RejectReason.ADDRESS_NOT_ALLOWED);
    assertThat(stored().rateLimit()).isEqualTo(RateLimit.of(5, Duration.ofSeconds(1)));

    // narrowing the permissions to none: the token verifies but carries nothing
    assertThat(carol.patch(TOKENS + "/t", "{\"restriction\":{\"permissions\":[],\"allowedAddresses\":[\"10.1.0.0/16\"]}}")
        .status()).isEqualTo(200);
    assertThat(((Verified) verifyFrom(value, "10.1.9.9")).permissions()).as("effective permissions").isEmpty();
  }

  @Test
  void patchLeavesWhatIsLeftOutRemovesWhatIsNullAndReplacesWhatIsGiven() {
    Reply issued = carol.post(TOKENS, """
        {"id":"t","name":"T","restriction":{"permissions":["read"],"roles":[],"allowedAddresses":["10.0.0.0/8","2001:db8::/32"]},
         "rateLimit":{"requests":100,"per":"PT1M","burst":150}}""");
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    Restriction initial = new Restriction(Set.of("read"), Set.of(), Restriction.parseRanges(List.of("10.0.0.0/8", "2001:db8::/32")));
    assertThat(stored().restriction()).isEqualTo(initial);
    assertThat(stored().rateLimit()).isEqualTo(new RateLimit(100, Duration.ofMinutes(1), 150));
    assertThat(issued.json().get("token").get("rateLimit").get("text").asString()).isEqualTo("100/1m,burst=150");

    // left out: unchanged
    Reply renamed = carol.patch(TOKENS + "/t", "{\"name\":\"Renamed\"}");
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(stored().restriction()).isEqualTo(initial);
    assertThat(stored().rateLimit()).isEqualTo(new RateLimit(100, Duration.ofMinutes(1), 150));
    assertThat(renamed.json().get("restriction")).isEqualTo(issued.json().get("token").get("restriction"));

    // a value: replaces the whole restriction (not merged): roles and addresses go back to unrestricted
    Reply replaced = carol.patch(TOKENS + "/t", "{\"restriction\":{\"permissions\":[\"read\"]},\"rateLimit\":\"20/1h\"}");
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(stored().restriction()).isEqualTo(Restriction.permissions("read"));
    assertThat(stored().rateLimit()).isEqualTo(RateLimit.of(20, Duration.ofHours(1)));
    assertThat(replaced.json().get("restriction").get("roles").isNull()).isTrue();
    assertThat(replaced.json().get("restriction").get("allowedAddresses").size()).isZero();

    // null: removed
    Reply removed = carol.patch(TOKENS + "/t", "{\"restriction\":null,\"rateLimit\":null}");
    assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
    assertThat(stored().restriction()).isEqualTo(Restriction.NONE);
    assertThat(stored().rateLimit()).isNull();
    assertThat(removed.json().get("restriction").isNull()).isTrue();
    assertThat(removed.json().get("rateLimit").isNull()).isTrue();
    assertThat(removed.body()).contains("\"restriction\":null").contains("\"rateLimit\":null");

    // a stale ETag: 412, nothing written
    String before = AuthorizationMatrixHttpTest.snapshot(world.manager);
    Reply stale = carol.call("PATCH", TOKENS + "/t").ifMatch(issued.etag()).json("{\"restriction\":{\"permissions\":[]}}").send();
    assertThat(stale.status()).isEqualTo(412);
    assertThat(AuthorizationMatrixHttpTest.snapshot(world.manager)).isEqualTo(before);
  }

  @Test
  void keysTakeAndShowRestrictionsAndLimitsAndNarrowTheirTokens() {
    Reply created = carol.post(KEYS, """
        {"id":"k2","name":"K2","restriction":{"permissions":["read","write"],"allowedAddresses":["192.0.2.0/24"]},
         "rateLimit":"1000/1d"}""");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(strings(created.json().get("restriction").get("permissions"))).containsExactly("read", "write");
    assertThat(created.json().get("rateLimit").get("per").asString()).isEqualTo("PT24H");
    assertThat(carol.get(KEYS + "/k2").json().get("restriction")).isEqualTo(created.json().get("restriction"));
    assertThat(carol.get(KEY).json().get("restriction").isNull()).as("a key without one").isTrue();
    assertThat(carol.get(KEY).json().get("rateLimit").isNull()).isTrue();

    Reply issued = carol.post(KEYS + "/k2/tokens", "{\"id\":\"t\",\"name\":\"T\"}");
    String value = issued.json().get("value").asString();
    assertThat(((Verified) verifyFrom(value, "192.0.2.5")).permissions()).containsExactlyInAnyOrder("read", "write");

    // narrowing the key narrows its token at once
    Reply narrowed = carol.call("PATCH", KEYS + "/k2").ifMatch(created.etag())
        .json("{\"restriction\":{\"permissions\":[\"read\"],\"allowedAddresses\":[\"192.0.2.0/24\"]},\"rateLimit\":null}").send();
    assertThat(narrowed.status()).as(narrowed.toString()).isEqualTo(200);
    assertThat(narrowed.json().get("rateLimit").isNull()).isTrue();
    assertThat(((Verified) verifyFrom(value, "192.0.2.5")).permissions()).containsExactly("read");
    assertThat(world.manager.getApiKey(Actor.system(), CAROL_REF.apiKey("k2")).rateLimit()).isNull();
    // a token may not be given what its key's restriction does not allow
    String before = AuthorizationMatrixHttpTest.snapshot(world.manager);
    Reply wider = carol.post(KEYS + "/k2/tokens", "{\"id\":\"t2\",\"name\":\"T2\",\"restriction\":{\"permissions\":[\"write\"]}}");
    assertThat(wider.status()).isEqualTo(400);
    assertThat(wider.json().get("detail").asString()).contains("its API key's restriction does not allow permission 'write'");
    assertThat(AuthorizationMatrixHttpTest.snapshot(world.manager)).isEqualTo(before);
  }

  /** A restriction may name only what the owner holds: refused, with nothing written, on issue, create and edit. */
  @Test
  void aRestrictionNamingWhatTheOwnerDoesNotHoldIsRefused() {
    carol.post(TOKENS, "{\"id\":\"t\",\"name\":\"T\",\"restriction\":{\"permissions\":[\"read\"]}}");
    String before = AuthorizationMatrixHttpTest.snapshot(world.manager);
    for (String attempt : List.of(
        "POST " + TOKENS + " {\"id\":\"t2\",\"name\":\"T2\",\"restriction\":{\"permissions\":[\"read\",\"admin\"]}}",
        "POST " + TOKENS + " {\"id\":\"t2\",\"name\":\"T2\",\"restriction\":{\"roles\":[\"account_admin\"]}}",
        "POST " + KEYS + " {\"id\":\"k2\",\"name\":\"K2\",\"restriction\":{\"permissions\":[\"admin\"]}}",
        "PATCH " + TOKENS + "/t {\"restriction\":{\"permissions\":[\"read\",\"admin\"]}}",
        "PATCH " + KEY + " {\"restriction\":{\"permissions\":[\"admin\"]}}")) {
      String[] parts = attempt.split(" ", 3);
      Reply reply = carol.call(parts[0], parts[1]).json(parts[2]).send();
      assertThat(reply.status()).as(attempt + " -> " + reply).isEqualTo(400);
      assertThat(reply.problemType()).isEqualTo("invalid-argument");
      assertThat(reply.json().get("detail").asString()).as(attempt).contains("can only narrow").contains("does not hold");
      assertThat(AuthorizationMatrixHttpTest.snapshot(world.manager)).as("nothing written by " + attempt).isEqualTo(before);
    }
    // a manager acting on a service account is held to the service account's rights (bot holds only deploy)
    String botKey = "accounts/acme/service-accounts/bot/api-keys";
    Client ops = as(World.OPS);
    assertThat(ops.post(botKey, "{\"id\":\"k\",\"name\":\"K\"}").status()).isEqualTo(201);
    String withBotKey = AuthorizationMatrixHttpTest.snapshot(world.manager);
    Reply byOps = ops.post(botKey + "/k/tokens", "{\"id\":\"t\",\"name\":\"T\",\"restriction\":{\"permissions\":[\"read\"]}}");
    assertThat(byOps.status()).as(byOps.toString()).isEqualTo(400);
    assertThat(byOps.json().get("detail").asString()).contains("acme/sa/bot does not hold permission 'read'");
    assertThat(AuthorizationMatrixHttpTest.snapshot(world.manager)).isEqualTo(withBotKey);
    assertThat(ops.post(botKey + "/k/tokens", "{\"id\":\"t\",\"name\":\"T\",\"restriction\":{\"permissions\":[\"deploy\"]}}")
        .status()).isEqualTo(201);
  }

  /** A caller acting through a restricted token cannot mint or widen past its own restriction: 403, nothing written. */
  @Test
  void aRestrictedBearerCannotMintOrWidenPastItsOwnRestriction() {
    Reply issued = carol.post(TOKENS, """
        {"id":"t","name":"T","restriction":{"permissions":["read"],"allowedAddresses":["127.0.0.1/32"]}}""");
    Client restricted = bearer(issued.json().get("value").asString());
    assertThat(restricted.get("session").status()).as("used from 127.0.0.1, inside its allow-list").isEqualTo(200);
    String before = AuthorizationMatrixHttpTest.snapshot(world.manager);
    Reply unrestricted = restricted.post(TOKENS, "{\"id\":\"t2\",\"name\":\"T2\"}");
    assertThat(unrestricted.status()).as(unrestricted.toString()).isEqualTo(403);
    assertThat(unrestricted.json().get("detail").asString()).contains("acts through a restricted token");
    Reply widen = restricted.patch(TOKENS + "/t", "{\"restriction\":null}");
    assertThat(widen.status()).as(widen.toString()).isEqualTo(403);
    assertThat(AuthorizationMatrixHttpTest.snapshot(world.manager)).isEqualTo(before);
    // within its own restriction it may
    Reply within = restricted.post(TOKENS, """
        {"id":"t3","name":"T3","restriction":{"permissions":["read"],"allowedAddresses":["127.0.0.1/32"]}}""");
    assertThat(within.status()).as(within.toString()).isEqualTo(201);

    // a token allowed only from 10/8 is refused as a bearer from 127.0.0.1
    Reply far = carol.post(TOKENS, "{\"id\":\"t4\",\"name\":\"T4\",\"restriction\":{\"allowedAddresses\":[\"10.0.0.0/8\"]}}");
    assertThat(bearer(far.json().get("value").asString()).get("session").status()).isEqualTo(401);
  }

  @Test
  void wideningIsAuditedAndVisibleThroughTheAuditTrail() {
    carol.post(TOKENS, "{\"id\":\"t\",\"name\":\"T\",\"restriction\":{\"permissions\":[\"read\"]}}");
    assertThat(carol.patch(TOKENS + "/t", "{\"restriction\":{\"permissions\":[\"read\",\"write\"]}}").status()).isEqualTo(200);
    assertThat(carol.patch(KEY, "{\"restriction\":{\"permissions\":[\"read\"]}}").status()).isEqualTo(200); // a narrowing
    assertThat(carol.patch(KEY, "{\"restriction\":null}").status()).isEqualTo(200);                            // a widening

    Reply tokenEvents = as(World.ADMIN).get("accounts/acme/audit-events?token=" + T);
    assertThat(tokenEvents.status()).as(tokenEvents.toString()).isEqualTo(200);
    JsonNode widened = null;
    for (JsonNode e : tokenEvents.json().get("items")) {
      if (e.get("action").asString().equals(AuditAction.TOKEN_RESTRICTION_WIDENED.name())) {
        widened = e;
      }
    }
    assertThat(widened).as("a TOKEN_RESTRICTION_WIDENED event in " + tokenEvents.body()).isNotNull();
    assertThat(widened.get("actor").asString()).isEqualTo(CAROL);
    assertThat(widened.get("target").asString()).isEqualTo(T.toString());
    assertThat(widened.get("details").get("restrictionBefore").asString()).contains("permissions=[read]");
    assertThat(widened.get("details").get("restrictionAfter").asString()).contains("read").contains("write");

    Reply keyEvents = as(World.ADMIN).get("accounts/acme/audit-events?key=" + CAROL_REF.apiKey("k"));
    List<String> actions = new ArrayList<>();
    keyEvents.json().get("items").forEach(e -> actions.add(e.get("action").asString()));
    assertThat(actions).contains(AuditAction.API_KEY_RESTRICTION_WIDENED.name(), AuditAction.API_KEY_UPDATED.name());
    // the core's own query agrees: exactly one widening of the key
    assertThat(world.manager.listAuditEvents(Actor.system(), AuditQuery.all().apiKey(CAROL_REF.apiKey("k")),
        PageRequest.first(100)).items()).filteredOn(e -> e.action() == AuditAction.API_KEY_RESTRICTION_WIDENED).hasSize(1);
  }
}
