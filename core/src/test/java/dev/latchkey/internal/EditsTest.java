package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.PrincipalRef;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EditsTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final TokenRef REF = PrincipalRef.serviceAccount("acme", "ci").apiKey("k").token("t");
  private static final CredentialHash CURRENT = new CredentialHash("hmac-sha256", 1, "current");
  private static final CredentialHash PREVIOUS = new CredentialHash("hmac-sha256", 1, "previous");

  /** A token rotated with a grace period that ends in two hours; it expires in ten days. */
  private static TokenRecord inGrace() {
    Token t = new Token(REF, "AAAAAAAAAAAAAAAA", "T", "d", Map.of("a", "b"), NOW.minusSeconds(60),
        NOW.plus(Duration.ofDays(10)), TokenStatus.ACTIVE, NOW.minusSeconds(10),
        NOW.plus(Duration.ofHours(2)), null, 4);
    return new TokenRecord(t, CURRENT, PREVIOUS);
  }

  @Test
  void aPrincipalEditChangesOnlyWhatItSetsAndBumpsTheVersion() {
    Principal p = new Principal(PrincipalRef.serviceAccount("acme", "ci"), "CI", "old", Scope.org("acme", "eng"),
        Set.of("r"), Set.of("p"), false, NOW, 7);
    Principal after = Edits.edited(p, PrincipalEdit.none().name("New").permissions(Set.of("q")));
    assertThat(after).isEqualTo(new Principal(p.ref(), "New", "old", p.scope(), Set.of("r"), Set.of("q"), false,
        NOW, 8));
  }

  @Test
  void aLabelEditKeepsExpiryAndGrace() {
    TokenRecord after = Edits.edited(inGrace(), TokenEdit.none().name("N").tags(Map.of()));
    assertThat(after.token()).extracting("name", "description", "tags", "expiresAt", "previousValidUntil", "version")
        .containsExactly("N", "d", Map.of(), inGrace().token().expiresAt(), inGrace().token().previousValidUntil(), 5L);
    assertThat(after.previous()).isEqualTo(PREVIOUS);
  }

  @Test
  void aNewExpiryEndsTheGraceEarlyNeverLate() {
    Instant sooner = NOW.plus(Duration.ofHours(1));
    TokenRecord shortened = Edits.edited(inGrace(), TokenEdit.none(), sooner, NOW);
    assertThat(shortened.token().expiresAt()).isEqualTo(sooner);
    assertThat(shortened.token().previousValidUntil()).isEqualTo(sooner);
    assertThat(shortened.previous()).isEqualTo(PREVIOUS);

    TokenRecord longer = Edits.edited(inGrace(), TokenEdit.none(), null, NOW);
    assertThat(longer.token().previousValidUntil()).as("never expires: the grace keeps its end")
        .isEqualTo(inGrace().token().previousValidUntil());

    TokenRecord afterGrace = Edits.edited(inGrace(), TokenEdit.none(), NOW.plus(Duration.ofDays(1)),
        NOW.plus(Duration.ofHours(3)));
    assertThat(afterGrace.token().previousValidUntil()).as("the grace is over").isNull();
    assertThat(afterGrace.previous()).as("its hash goes with it").isNull();
  }

  @Test
  void revokingEndsTheGraceAndKeepsTheCurrentHash() {
    TokenRecord revoked = Edits.revoked(inGrace());
    assertThat(revoked.token().status()).isEqualTo(TokenStatus.REVOKED);
    assertThat(revoked.token().previousValidUntil()).isNull();
    assertThat(revoked.previous()).isNull();
    assertThat(revoked.current()).isEqualTo(CURRENT);
    assertThat(revoked.token().version()).isEqualTo(5);
  }
}
