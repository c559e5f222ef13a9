package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Limits;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CredentialRulesTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final TokenRef REF = PrincipalRef.serviceAccount("acme", "ci").apiKey("k").token("t");

  private static Instant in(Duration d) {
    return NOW.plus(d);
  }

  private static Token token(TokenStatus status, @Nullable Instant expiresAt, long version) {
    return new Token(REF, "AAAAAAAAAAAAAAAA", "T", "", Map.of(), NOW.minus(HOUR), expiresAt, status, null,
        null, null, version);
  }

  @Test
  void aRotatedOutSecretLivesForTheGraceButNeverPastTheOldOrNewExpiry() {
    assertThat(CredentialRules.rotationGraceEnd(Duration.ZERO, null, null, NOW)).isNull();
    assertThat(CredentialRules.rotationGraceEnd(HOUR, null, null, NOW)).isEqualTo(in(HOUR));
    assertThat(CredentialRules.rotationGraceEnd(HOUR, in(HOUR.dividedBy(2)), in(HOUR.multipliedBy(9)), NOW))
        .as("old expiry first").isEqualTo(in(HOUR.dividedBy(2)));
    assertThat(CredentialRules.rotationGraceEnd(HOUR, in(HOUR.multipliedBy(9)), in(HOUR.dividedBy(4)), NOW))
        .as("new expiry first").isEqualTo(in(HOUR.dividedBy(4)));
    assertThat(CredentialRules.capGrace(in(HOUR), NOW, NOW)).as("ends now: no grace").isNull();
    assertThat(CredentialRules.capGrace(null, in(HOUR), NOW)).isNull();
  }

  @Test
  void aKeyLivesAtItsOwnersScope() {
    Principal ci = new Principal(PrincipalRef.serviceAccount("acme", "ci"), "CI", "", Scope.project("acme", "eng", "api"),
        Set.of(), Set.of(), true, NOW, 1);
    Principal alice = new Principal(PrincipalRef.user("acme", "alice"), "Alice", "", Scope.account("acme"), Set.of(),
        Set.of(), true, NOW, 1);
    assertThat(CredentialRules.keyScope(ci, null)).isEqualTo(ci.scope());
    assertThat(CredentialRules.keyScope(alice, Scope.account("acme"))).isEqualTo(Scope.account("acme"));
    assertThatThrownBy(() -> CredentialRules.keyScope(ci, Scope.account("acme")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("service account's scope (acme/eng/api)");
    assertThatThrownBy(() -> CredentialRules.keyScope(alice, Scope.org("acme", "eng")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("only be created at account scope");
  }

  @Test
  void limitsOnLifetimeAndGraceAreInclusive() {
    Limits limits = Limits.defaults().withDefaultTokenLifetime(Duration.ofDays(1)).withMaxTokenLifetime(Duration.ofDays(10))
        .withMaxRotationGrace(HOUR);
    assertThatCode(() -> CredentialRules.checkDefaultLifetime(Duration.ofDays(10), limits)).doesNotThrowAnyException();
    assertThatThrownBy(() -> CredentialRules.checkDefaultLifetime(Duration.ofDays(11), limits))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("default token lifetime 11 days exceeds the maximum token lifetime of 10 days");
    assertThatCode(() -> CredentialRules.checkGrace(HOUR, limits)).doesNotThrowAnyException();
    assertThatThrownBy(() -> CredentialRules.checkGrace(HOUR.plusSeconds(1), limits))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("exceeds the maximum of 1 hour");
    assertThatCode(() -> CredentialRules.checkDefaultLifetime(Duration.ofDays(9999), limits.withoutMaxTokenLifetime()))
        .doesNotThrowAnyException();
  }

  @Test
  void onlyTheExpectedVersionOfAnActiveUnexpiredTokenIsRotated() {
    Token active = token(TokenStatus.ACTIVE, in(HOUR), 3);
    assertThatCode(() -> CredentialRules.requireRotatable(active, Rotation.immediate(), NOW)).doesNotThrowAnyException();
    assertThatCode(() -> CredentialRules.requireRotatable(active, Rotation.immediate().ifVersion(3), NOW))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> CredentialRules.requireRotatable(active, Rotation.immediate().ifVersion(2), NOW))
        .isInstanceOf(ConflictException.class).hasMessageContaining("is at version 3, not 2 as expected");
    assertThatThrownBy(() -> CredentialRules.requireRotatable(token(TokenStatus.REVOKED, in(HOUR), 3),
        Rotation.immediate(), NOW)).isInstanceOf(ConflictException.class).hasMessageContaining("is revoked");
    assertThatThrownBy(() -> CredentialRules.requireRotatable(token(TokenStatus.ACTIVE, NOW, 3),
        Rotation.immediate(), NOW)).isInstanceOf(ConflictException.class).hasMessageContaining("has expired");
  }
}
