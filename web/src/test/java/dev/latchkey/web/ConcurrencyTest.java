package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency: entities carry their version as a strong ETag; If-Match is optional, and
 * when given, a stale one is answered with 412 {@code version-mismatch} and changes nothing.
 */
class ConcurrencyTest extends WebTest {
  private static final String KEY = "accounts/acme/users/alice/api-keys/k";
  private static final String TOKEN = KEY + "/tokens/t";

  private Client setUp() {
    Client alice = as(World.ALICE);
    alice.post("accounts/acme/users/alice/api-keys", Map.of("id", "k", "name", "K"));
    alice.post(KEY + "/tokens", Map.of("id", "t", "name", "T"));
    return alice;
  }

  @Test
  void editsNeedTheCurrentVersionWhenIfMatchIsGiven() {
    Client alice = setUp();
    String etag = alice.get(KEY).etag();
    assertThat(etag).isEqualTo("\"1\"");
    Reply first = alice.call("PATCH", KEY).json(Map.of("name", "First")).ifMatch(etag).send();
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.etag()).isEqualTo("\"2\"");

    Reply stale = alice.call("PATCH", KEY).json(Map.of("name", "Second")).ifMatch(etag).send();
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.problemType()).isEqualTo("version-mismatch");
    assertThat(stale.etag()).isNull();
    assertThat(alice.get(KEY).json().get("name").asString()).isEqualTo("First");

    assertThat(alice.call("PATCH", KEY).json(Map.of("name", "Any")).ifMatch("*").send().status()).isEqualTo(200);
    assertThat(alice.call("PATCH", KEY).json(Map.of("name", "List")).ifMatch("\"9\", \"3\"").send().status())
        .as("a list naming the current version").isEqualTo(200);
    assertThat(alice.call("PATCH", KEY).json(Map.of("name", "Weak")).ifMatch("W/\"4\"").send().status())
        .as("a weak tag never matches (strong comparison)").isEqualTo(412);
    assertThat(alice.call("PATCH", KEY).json(Map.of("name", "Bad")).ifMatch("4").send().status())
        .as("an unquoted tag is malformed").isEqualTo(400);
    assertThat(alice.patch(KEY, Map.of("name", "Unconditional")).status()).as("If-Match is optional").isEqualTo(200);
  }

  @Test
  void deletesAndActionsHonourIfMatch() {
    Client alice = setUp();
    assertThat(alice.call("DELETE", TOKEN).ifMatch("\"7\"").send().status()).isEqualTo(412);
    assertThat(alice.get(TOKEN).status()).isEqualTo(200);
    assertThat(alice.call("POST", TOKEN + "/revoke").ifMatch("\"7\"").send().status()).isEqualTo(412);
    assertThat(alice.get(TOKEN).json().get("status").asString()).isEqualTo("active");
    Reply rotate = alice.call("POST", TOKEN + "/rotate").json(Map.of()).ifMatch("\"7\"").send();
    assertThat(rotate.status()).isEqualTo(412);
    assertThat(rotate.body()).doesNotContain("\"value\"");
    assertThat(alice.get(TOKEN).json().has("rotatedAt")).isFalse();

    Client admin = as(World.ADMIN);
    String bot = "accounts/acme/service-accounts/bot";
    assertThat(admin.call("POST", bot + "/disable").ifMatch("\"9\"").send().status()).isEqualTo(412);
    assertThat(admin.get(bot).json().get("enabled").asBoolean()).isTrue();
    assertThat(admin.call("DELETE", "accounts/acme").ifMatch("\"1\"").send().status())
        .as("accounts have no version: only If-Match: * could match").isEqualTo(412);
    assertThat(alice.call("DELETE", "accounts/other").ifMatch("\"1\"").send().status())
        .as("who may not read the account gets no 412").isEqualTo(403);
    assertThat(alice.call("DELETE", TOKEN).ifMatch(alice.get(TOKEN).etag()).send().status()).isEqualTo(204);
  }

  /**
   * Many clients holding the same ETag rotate at once: exactly one gets a new value (201), every
   * other gets 412, and the token's version moved by exactly one.
   */
  @Test
  void ofConcurrentRotationsWithTheSameEtagExactlyOneWins() throws Exception {
    Client alice = setUp();
    String etag = alice.get(TOKEN).etag();
    int n = 6;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      replies.add(pool.submit(() -> {
        start.await();
        return alice.call("POST", TOKEN + "/rotate").json(Map.of()).ifMatch(etag).send();
      }));
    }
    start.countDown();
    int won = 0;
    int mismatched = 0;
    for (Future<Reply> f : replies) {
      Reply r = f.get(30, TimeUnit.SECONDS);
      if (r.status() == 201) {
        won++;
      } else {
        assertThat(r.status()).as(r.toString()).isEqualTo(412);
        assertThat(r.problemType()).isEqualTo("version-mismatch");
        mismatched++;
      }
    }
    pool.shutdown();
    assertThat(won).isEqualTo(1);
    assertThat(mismatched).isEqualTo(n - 1);
    assertThat(alice.get(TOKEN).etag()).isEqualTo("\"2\"");
  }
}
