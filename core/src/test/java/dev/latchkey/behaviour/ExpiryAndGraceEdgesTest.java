package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConflictException;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Rotation;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.Verified;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The instants where expiry and grace flip, to the millisecond: a token is valid strictly before
 * its expiry, the previous secret strictly before the grace end, and the grace end is the earliest
 * of rotation time + grace, the old expiry and the new one, cut by later expiry edits, and dropped
 * when an edit leaves it not in the future. The cache is dropped before each check so that the
 * answer comes from the stored record, and kept for the next so that a cached entry must obey the
 * same edge.
 */
class ExpiryAndGraceEdgesTest {
  private final World w = new World();
  private final TokenRef ref = w.ci.ref().apiKey("k").token("t");

  @AfterEach
  void close() {
    w.close();
  }

  private IssuedToken issue(Duration lifetime) {
    w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    return w.m.issueToken(w.system, NewToken.of(w.ci.ref().apiKey("k"), "t", "T")
        .expiring(Expiration.after(lifetime)));
  }

  private void at(Instant instant) {
    w.clock.set(instant);
  }

  @Test
  void aTokenIsValidUntilTheMillisecondBeforeItsExpiry() {
    IssuedToken t = issue(Duration.ofMinutes(10));
    Instant expiry = World.START.plus(Duration.ofMinutes(10));
    assertThat(t.token().expiresAt()).isEqualTo(expiry);
    at(expiry.minusMillis(1));
    assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class); // cached from here on
    at(expiry);
    assertThat(w.verifier.verify(t.value())).as("cached entry at the expiry").isEqualTo(Rejected.of(RejectReason.EXPIRED));
    w.latchkey.invalidateCache();
    assertThat(w.verifier.verify(t.value())).as("re-read at the expiry").isEqualTo(Rejected.of(RejectReason.EXPIRED));
    assertThat(w.memory.findToken(ref).orElseThrow().token().isUsableAt(expiry)).isFalse();
    assertThat(w.memory.findToken(ref).orElseThrow().token().isUsableAt(expiry.minusMillis(1))).isTrue();
  }

  @Test
  void thePreviousSecretIsValidUntilTheMillisecondBeforeTheGraceEnd() {
    IssuedToken old = issue(Duration.ofDays(1));
    IssuedToken rotated = w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofSeconds(30)));
    Instant graceEnd = World.START.plusSeconds(30);
    assertThat(rotated.token().previousValidUntil()).isEqualTo(graceEnd);
    at(graceEnd.minusMillis(1));
    assertThat(w.verifier.verify(old.value())).isInstanceOf(Verified.class);
    at(graceEnd);
    assertThat(w.verifier.verify(old.value())).as("cached entry at the grace end").isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    w.latchkey.invalidateCache();
    assertThat(w.verifier.verify(old.value())).as("re-read at the grace end").isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
    assertThat(w.verifier.verify(rotated.value())).isInstanceOf(Verified.class);
  }

  @Test
  void theGraceEndIsTheEarliestOfRotationPlusGraceTheOldExpiryAndTheNewExpiry() {
    issue(Duration.ofMinutes(10));
    // old expiry first
    Token t1 = w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofHours(1))).token();
    assertThat(t1.previousValidUntil()).isEqualTo(World.START.plus(Duration.ofMinutes(10)));
    // new expiry first
    Token t2 = w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofMinutes(5))
        .expiring(Expiration.after(Duration.ofMinutes(2)))).token();
    assertThat(t2.expiresAt()).isEqualTo(World.START.plus(Duration.ofMinutes(2)));
    assertThat(t2.previousValidUntil()).isEqualTo(World.START.plus(Duration.ofMinutes(2)));
    // rotation + grace first
    at(World.START.plusSeconds(60));
    Token t3 = w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofSeconds(30))
        .expiring(Expiration.after(Duration.ofHours(2)))).token();
    assertThat(t3.previousValidUntil()).isEqualTo(World.START.plusSeconds(90));
    // grace end equal to the old expiry: still that instant, still in the future
    at(World.START.plus(Duration.ofHours(2)).minus(Duration.ofMinutes(1)));
    Token t4 = w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofMinutes(1))).token();
    assertThat(t4.previousValidUntil()).isEqualTo(World.START.plus(Duration.ofHours(2)));
  }

  @Test
  void anExpiryEditCutsTheGraceAndOneAtTheGraceEndDropsIt() {
    IssuedToken old = issue(Duration.ofDays(1));
    w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofMinutes(5)));
    // an edit to an expiry before the grace end cuts the grace to it
    Token cut = w.m.editToken(w.system, ref, TokenEdit.none().expiration(Expiration.after(Duration.ofMinutes(2))));
    assertThat(cut.previousValidUntil()).isEqualTo(World.START.plus(Duration.ofMinutes(2)));
    // an edit to a later expiry does not lengthen it again
    Token later = w.m.editToken(w.system, ref, TokenEdit.none().expiration(Expiration.after(Duration.ofHours(1))));
    assertThat(later.previousValidUntil()).isEqualTo(World.START.plus(Duration.ofMinutes(2)));
    assertThat(w.memory.findToken(ref).orElseThrow().previous()).isNotNull();
    // an edit exactly at the grace end: the grace is over, so it is dropped with the old hash
    at(World.START.plus(Duration.ofMinutes(2)));
    Token dropped = w.m.editToken(w.system, ref, TokenEdit.none().expiration(Expiration.after(Duration.ofHours(1))));
    assertThat(dropped.previousValidUntil()).isNull();
    assertThat(w.memory.findToken(ref).orElseThrow().previous()).isNull();
    assertThat(w.verifier.verify(old.value())).isEqualTo(Rejected.of(RejectReason.BAD_SECRET));
  }

  @Test
  void aTokenCanBeRotatedUntilTheMillisecondBeforeItsExpiry() {
    issue(Duration.ofMinutes(10));
    at(World.START.plus(Duration.ofMinutes(10)).minusMillis(1));
    Token rotated = w.m.rotateToken(w.system, ref, Rotation.withGrace(Duration.ofMinutes(1))).token();
    assertThat(rotated.previousValidUntil()).isEqualTo(World.START.plus(Duration.ofMinutes(10)));
    at(World.START.plus(Duration.ofMinutes(10)));
    assertThatThrownBy(() -> w.m.rotateToken(w.system, ref, Rotation.immediate()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("expired");
  }
}
