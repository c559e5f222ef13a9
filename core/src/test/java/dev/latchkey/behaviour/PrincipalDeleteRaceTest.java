package dev.latchkey.behaviour;

import static dev.latchkey.testing.World.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConflictException;
import dev.latchkey.IssuedToken;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Verified;
import dev.latchkey.spi.Removal;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A principal delete applies to the principal the access policy judged. From the security review:
 * "a promotion racing a lesser actor's delete lets the delete through". Here the promotion lands
 * exactly between the policy's decision and the store's delete.
 */
class PrincipalDeleteRaceTest {

  /** A store that runs {@code beforeDelete} when a principal delete reaches it. */
  static final class InterleavingStore extends ForwardingTokenStore {
    volatile Runnable beforeDelete = () -> { };

    InterleavingStore() {
      super(new SimpleTokenStore());
    }

    @Override
    public Optional<Removal> deletePrincipal(PrincipalRef ref, long expectedVersion) {
      Runnable hook = beforeDelete;
      beforeDelete = () -> { };
      hook.run();
      return super.deletePrincipal(ref, expectedVersion);
    }
  }

  @Test
  void aPromotionLandingBetweenTheDecisionAndTheDeleteMakesTheDeleteFail() {
    InterleavingStore store = new InterleavingStore();
    try (World w = new World(store, b -> b)) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      // ops holds every permission ci holds, so the policy lets ops delete ci ...
      // ... but by the time the delete runs, an admin has given ci a permission ops lacks.
      store.beforeDelete = () -> w.m.editPrincipal(as(w.admin), w.ci.ref(),
          PrincipalEdit.none().permissions(Set.of("deploy", "read", "billing")));

      assertThatThrownBy(() -> w.m.deletePrincipal(as(w.ops), w.ci.ref())).isInstanceOf(ConflictException.class)
          .hasMessageContaining("changed concurrently");

      assertThat(w.memory.findPrincipal(w.ci.ref()).orElseThrow().permissions()).contains("billing");
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      // judged afresh, the same delete is refused: ops no longer covers ci
      assertThatThrownBy(() -> w.m.deletePrincipal(as(w.ops), w.ci.ref()))
          .isInstanceOf(dev.latchkey.PermissionDeniedException.class);
    }
  }

  @Test
  void withoutARaceTheDeleteGoesThrough() {
    try (World w = new World(new InterleavingStore(), b -> b)) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      w.m.deletePrincipal(as(w.ops), w.ci.ref());
      assertThat(w.memory.findPrincipal(w.ci.ref())).isEmpty();
      assertThat(w.verifier.verify(t.value())).isNotInstanceOf(Verified.class);
    }
  }
}
