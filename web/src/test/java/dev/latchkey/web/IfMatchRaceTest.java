package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.TokenStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * If-Match is exact: a change by someone else that lands after the request's If-Match was checked
 * against the stored entity but before the write is still a 412, and only that other change happens.
 * The store below runs the other change at exactly that moment (when the request's write reaches
 * it), so the test does not depend on timing.
 */
class IfMatchRaceTest extends WebTest {
  private static final Set<String> WRITES = Set.of(
      "updatePrincipal", "deletePrincipal", "updateApiKey", "deleteApiKey", "updateToken", "deleteToken");
  private static final String KEY = "accounts/acme/users/alice/api-keys/k";
  private static final String TOKEN = KEY + "/tokens/t";
  private static final String BOB = "accounts/acme/users/bob";
  private static final String BOT = "accounts/acme/service-accounts/bot";

  /** Run once, just before the next write of an existing entity reaches the store. */
  private final AtomicReference<Runnable> beforeWrite = new AtomicReference<>();

  @Override
  World createWorld() {
    TokenStore memory = new MemoryTokenStore();
    TokenStore interleaving = (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(),
        new Class<?>[] {TokenStore.class}, (proxy, method, args) -> {
          if (WRITES.contains(method.getName())) {
            Runnable hook = beforeWrite.getAndSet(null);
            if (hook != null) {
              hook.run();
            }
          }
          try {
            return method.invoke(memory, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return new World(b -> b.store(interleaving), b -> {});
  }

  private record Change(String what, String resource, String method, String path, Object body, Runnable other) {}

  @Test
  void aChangeLandingBetweenTheCheckAndTheWriteIsA412AndOnlyItHappens() {
    Client alice = as(World.ALICE);
    Client admin = as(World.ADMIN);
    alice.post("accounts/acme/users/alice/api-keys", Map.of("id", "k", "name", "K"));
    alice.post(KEY + "/tokens", Map.of("id", "t", "name", "T"));
    Actor system = Actor.system();
    PrincipalRef bob = PrincipalRef.parse(World.BOB);
    PrincipalRef bot = PrincipalRef.parse(World.BOT);
    TokenRef token = PrincipalRef.parse(World.ALICE).apiKey("k").token("t");
    Runnable editBob = () -> world.manager.editPrincipal(system, bob, PrincipalEdit.none().description("other"));
    Runnable editBot = () -> world.manager.editPrincipal(system, bot, PrincipalEdit.none().description("other"));
    Runnable editKey = () -> world.manager.editApiKey(system, token.apiKey(), ApiKeyEdit.none().description("other"));
    Runnable editToken = () -> world.manager.editToken(system, token, TokenEdit.none().description("other"));
    List<Change> changes = List.of(
        new Change("edit a user", BOB, "PATCH", BOB, Map.of("name", "Raced"), editBob),
        new Change("disable a user", BOB, "POST", BOB + "/disable", null, editBob),
        new Change("delete a user", BOB, "DELETE", BOB, null, editBob),
        new Change("edit a service account", BOT, "PATCH", BOT, Map.of("name", "Raced"), editBot),
        new Change("delete a service account", BOT, "DELETE", BOT, null, editBot),
        new Change("edit a key", KEY, "PATCH", KEY, Map.of("name", "Raced"), editKey),
        new Change("delete a key", KEY, "DELETE", KEY, null, editKey),
        new Change("edit a token", TOKEN, "PATCH", TOKEN, Map.of("name", "Raced"), editToken),
        new Change("revoke a token", TOKEN, "POST", TOKEN + "/revoke", null, editToken),
        new Change("rotate a token", TOKEN, "POST", TOKEN + "/rotate", Map.of(), editToken),
        new Change("delete a token", TOKEN, "DELETE", TOKEN, null, editToken));
    for (Change c : changes) {
      Client who = c.resource().startsWith("accounts/acme/users/alice") ? alice : admin;
      Reply read = who.get(c.resource());
      String[] afterOther = new String[1];
      beforeWrite.set(() -> {
        c.other().run();
        afterOther[0] = who.get(c.resource()).body();
      });

      Client.Call call = who.call(c.method(), c.path()).ifMatch(read.etag());
      Reply raced = (c.body() != null ? call.json(c.body()) : call).send();

      assertThat(afterOther[0]).as(c.what() + ": the other change ran during the request").isNotNull();
      assertThat(raced.status()).as(c.what() + ": " + raced).isEqualTo(412);
      assertThat(raced.problemType()).isEqualTo("version-mismatch");
      Reply now = who.get(c.resource());
      assertThat(now.body()).as(c.what() + ": only the other change happened").isEqualTo(afterOther[0]);
      long readVersion = Long.parseLong(read.etag().replace("\"", ""));
      assertThat(now.etag()).isEqualTo("\"" + (readVersion + 1) + "\"");
    }
  }
}
