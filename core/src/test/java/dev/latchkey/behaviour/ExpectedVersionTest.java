package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.ConflictException;
import dev.latchkey.IssuedToken;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Rotation;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.VersionMismatchException;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.ApiKey;
import dev.latchkey.Principal;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every edit, enable/disable, revoke and delete of a principal, key or token takes an expected
 * version: a stale one is refused with {@link VersionMismatchException} and changes nothing, the
 * current one goes through, and a change by someone else landing between the manager's read and
 * the store's write is caught by the store's compare-and-set (not only by the manager's read).
 */
class ExpectedVersionTest {

  /** A store that runs a one-shot hook when a write of an existing entity reaches it. */
  static final class InterleavingStore extends ForwardingTokenStore {
    volatile Runnable beforeWrite = () -> { };

    InterleavingStore() {
      super(new SimpleTokenStore());
    }

    private void hook() {
      Runnable r = beforeWrite;
      beforeWrite = () -> { };
      r.run();
    }

    @Override public boolean updatePrincipal(long v, Principal p) { hook(); return super.updatePrincipal(v, p); }
    @Override public Optional<Removal> deletePrincipal(PrincipalRef r, long v) { hook(); return super.deletePrincipal(r, v); }
    @Override public boolean updateApiKey(long v, ApiKey k) { hook(); return super.updateApiKey(v, k); }
    @Override public Optional<Removal> deleteApiKey(ApiKeyRef r, long v) { hook(); return super.deleteApiKey(r, v); }
    @Override public boolean updateToken(long v, TokenRecord t) { hook(); return super.updateToken(v, t); }
    @Override public Optional<Removal> deleteToken(TokenRef r, long v) { hook(); return super.deleteToken(r, v); }
  }

  enum Kind { PRINCIPAL, KEY, TOKEN }

  /** One versioned operation on ci, its key {@code k} or its token {@code t}, as the system actor. */
  record Op(String name, Kind kind, Call call) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Call {
    void run(World w, TokenRef t, Long expectedVersion);
  }

  static final List<Op> OPS = List.of(
      new Op("editPrincipal", Kind.PRINCIPAL, (w, t, v) -> w.m.editPrincipal(w.system, w.ci.ref(), PrincipalEdit.none().description("edited"), v)),
      new Op("setEnabled", Kind.PRINCIPAL, (w, t, v) -> w.m.setEnabled(w.system, w.ci.ref(), false, v)),
      new Op("deletePrincipal", Kind.PRINCIPAL, (w, t, v) -> w.m.deletePrincipal(w.system, w.ci.ref(), v)),
      new Op("editApiKey", Kind.KEY, (w, t, v) -> w.m.editApiKey(w.system, t.apiKey(), ApiKeyEdit.none().description("edited"), v)),
      new Op("deleteApiKey", Kind.KEY, (w, t, v) -> w.m.deleteApiKey(w.system, t.apiKey(), v)),
      new Op("editToken", Kind.TOKEN, (w, t, v) -> w.m.editToken(w.system, t, TokenEdit.none().description("edited"), v)),
      new Op("revokeToken", Kind.TOKEN, (w, t, v) -> w.m.revokeToken(w.system, t, v)),
      new Op("deleteToken", Kind.TOKEN, (w, t, v) -> w.m.deleteToken(w.system, t, v)),
      new Op("rotateToken", Kind.TOKEN, (w, t, v) -> w.m.rotateToken(w.system, t, Rotation.immediate().ifVersion(v))));

  private static long version(World w, Kind kind, TokenRef t) {
    return switch (kind) {
      case PRINCIPAL -> w.memory.findPrincipal(w.ci.ref()).orElseThrow().version();
      case KEY -> w.memory.findApiKey(t.apiKey()).orElseThrow().version();
      case TOKEN -> w.memory.findToken(t).orElseThrow().token().version();
    };
  }

  /** Someone else's edit of the entity the operation acts on (not a versioned call). */
  private static void otherEdit(World w, Kind kind, TokenRef t) {
    switch (kind) {
      case PRINCIPAL -> w.m.editPrincipal(w.system, w.ci.ref(), PrincipalEdit.none().name("Renamed by someone else"));
      case KEY -> w.m.editApiKey(w.system, t.apiKey(), ApiKeyEdit.none().name("Renamed by someone else"));
      case TOKEN -> w.m.editToken(w.system, t, TokenEdit.none().name("Renamed by someone else"));
    }
  }

  private static void each(Consumer<Op> test) {
    for (Op op : OPS) {
      try {
        test.accept(op);
      } catch (AssertionError e) {
        throw new AssertionError(op + ": " + e.getMessage(), e);
      }
    }
  }

  @Test
  void aStaleVersionIsRefusedAndNothingChanges() {
    each(op -> {
      try (World w = new World()) {
        IssuedToken issued = w.token(w.ci.ref(), "k", "t");
        TokenRef t = issued.ref();
        long read = version(w, op.kind(), t);
        otherEdit(w, op.kind(), t);
        List<Object> before = StoreSnapshot.of(w.memory);
        int events = w.audit.size();

        assertThatThrownBy(() -> op.call().run(w, t, read)).as(op.name())
            .isInstanceOf(VersionMismatchException.class)
            .isInstanceOf(ConflictException.class)
            .hasMessageContaining("version " + (read + 1))
            .hasMessageNotContaining(issued.value().reveal());

        assertThat(StoreSnapshot.of(w.memory)).as(op.name()).isEqualTo(before);
        assertThat(w.audit).as(op.name()).hasSize(events);
        assertThatThrownBy(() -> op.call().run(w, t, read + 5)).as(op.name() + ", a version not reached yet")
            .isInstanceOf(VersionMismatchException.class);
        assertThat(StoreSnapshot.of(w.memory)).as(op.name()).isEqualTo(before);
      }
    });
  }

  @Test
  void theCurrentVersionGoesThrough() {
    each(op -> {
      try (World w = new World()) {
        TokenRef t = w.token(w.ci.ref(), "k", "t").ref();
        otherEdit(w, op.kind(), t);
        List<Object> before = StoreSnapshot.of(w.memory);
        op.call().run(w, t, version(w, op.kind(), t));
        assertThat(StoreSnapshot.of(w.memory)).as(op.name()).isNotEqualTo(before);
      }
    });
  }

  @Test
  void aChangeLandingBetweenTheReadAndTheWriteIsAMismatchAndOnlyThatChangeHappens() {
    each(op -> {
      InterleavingStore store = new InterleavingStore();
      try (World w = new World(store, b -> b)) {
        TokenRef t = w.token(w.ci.ref(), "k", "t").ref();
        long read = version(w, op.kind(), t);
        List<Object>[] afterOther = new List[1];
        store.beforeWrite = () -> {
          otherEdit(w, op.kind(), t);
          afterOther[0] = StoreSnapshot.of(w.memory);
        };

        assertThatThrownBy(() -> op.call().run(w, t, read)).as(op.name())
            .isInstanceOf(VersionMismatchException.class);

        assertThat(afterOther[0]).as(op.name() + ": the interleaved edit ran").isNotNull();
        assertThat(StoreSnapshot.of(w.memory)).as(op.name()).isEqualTo(afterOther[0]);
        assertThat(version(w, op.kind(), t)).isEqualTo(read + 1);
      }
    });
  }

  @Test
  void withoutAVersionTheOldCallsStillWork() {
    try (World w = new World()) {
      TokenRef t = w.token(w.ci.ref(), "k", "t").ref();
      otherEdit(w, Kind.TOKEN, t);
      w.m.editToken(w.system, t, TokenEdit.none().description("no check"));
      w.m.revokeToken(w.system, t);
      w.m.deleteToken(w.system, t);
      w.m.deleteApiKey(w.system, t.apiKey());
      w.m.setEnabled(w.system, w.ci.ref(), false);
      w.m.deletePrincipal(w.system, w.ci.ref());
      assertThat(w.memory.findPrincipal(w.ci.ref())).isEmpty();
    }
  }
}
