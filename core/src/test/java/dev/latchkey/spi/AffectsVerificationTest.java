package dev.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared rule that decides which updates a store announces on its change feed. */
class AffectsVerificationTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00.123456789Z");
  private static final TokenRef REF = PrincipalRef.serviceAccount("acme", "bot").apiKey("k1").token("t1");
  private static final CredentialHash H1 = new CredentialHash(CredentialHash.HMAC_SHA256, 1, "a".repeat(43));
  private static final CredentialHash H2 = new CredentialHash(CredentialHash.HMAC_SHA256, 2, "a".repeat(43));
  private static final CredentialHash H3 = new CredentialHash(CredentialHash.HMAC_SHA256, 2, "b".repeat(43));

  /** A rotated token: every field set, so that each can be changed on its own. */
  private static TokenRecord base() {
    return record(TokenStatus.ACTIVE, T0.plusSeconds(3600), H2, H1,
        T0.plusSeconds(60), "name", "desc", Map.of("k", "v"), T0, T0, null);
  }

  private static TokenRecord record(TokenStatus status, @Nullable Instant expiresAt, CredentialHash current,
      @Nullable CredentialHash previous, @Nullable Instant graceEnd, String name, String description,
      Map<String, String> tags, Instant createdAt, @Nullable Instant rotatedAt, @Nullable Instant lastUsedAt) {
    Token t = new Token(REF, "aBcDeFgHiJkLmNoP", name, description, tags, createdAt, expiresAt, status, rotatedAt,
        graceEnd, lastUsedAt, 2);
    return new TokenRecord(t, current, previous);
  }

  @Test
  void everyTokenFieldAVerifierReadsCounts() {
    TokenRecord b = base();
    Token t = b.token();
    assertThat(ChangeFeed.affectsVerification(b, b)).isFalse();
    assertThat(ChangeFeed.affectsVerification(b, record(TokenStatus.REVOKED, t.expiresAt(), H2, H1,
        t.previousValidUntil(), "name", "desc", t.tags(), T0, t.rotatedAt(), t.lastUsedAt()))).as("status").isTrue();
    assertThat(ChangeFeed.affectsVerification(b, record(t.status(), T0.plusSeconds(3600).plusNanos(1),
        H2, H1, t.previousValidUntil(), "name", "desc", t.tags(), T0, t.rotatedAt(), t.lastUsedAt())))
        .as("expiry, one nanosecond later").isTrue();
    assertThat(ChangeFeed.affectsVerification(b, record(t.status(), null, H2, H1,
        t.previousValidUntil(), "name", "desc", t.tags(), T0, t.rotatedAt(), t.lastUsedAt()))).as("no expiry").isTrue();
    assertThat(ChangeFeed.affectsVerification(b, record(t.status(), t.expiresAt(), H3, H1,
        t.previousValidUntil(), "name", "desc", t.tags(), T0, t.rotatedAt(), t.lastUsedAt()))).as("current hash").isTrue();
    assertThat(ChangeFeed.affectsVerification(b, record(t.status(), t.expiresAt(), H2, H3,
        t.previousValidUntil(), "name", "desc", t.tags(), T0, t.rotatedAt(), t.lastUsedAt()))).as("previous hash").isTrue();
    assertThat(ChangeFeed.affectsVerification(b, record(t.status(), t.expiresAt(), H2, H1,
        T0.plusSeconds(30), "name", "desc", t.tags(), T0, t.rotatedAt(), t.lastUsedAt())))
        .as("grace end").isTrue();
    assertThat(ChangeFeed.affectsVerification(b, record(t.status(), t.expiresAt(), H2, null,
        null, "name", "desc", t.tags(), T0, t.rotatedAt(), t.lastUsedAt()))).as("grace over").isTrue();
  }

  @Test
  void tokenFieldsAVerifierDoesNotReadDoNotCount() {
    TokenRecord b = base();
    Token t = b.token();
    TokenRecord edited = record(t.status(), t.expiresAt(), H2, H1, t.previousValidUntil(), "renamed",
        "another description", Map.of("team", "b"), T0.minusSeconds(1), T0.plusSeconds(1),
        T0.plusSeconds(2));
    assertThat(ChangeFeed.affectsVerification(b, edited)).isFalse();
  }

  @Test
  void principalFieldsAVerifierReadsCountAndOthersDoNot() {
    Principal p = new Principal(PrincipalRef.serviceAccount("acme", "bot"), "Bot", "d", Scope.project("acme", "o", "p"),
        Set.of("deployer"), Set.of("deploy", "read"), true, T0, 1);
    assertThat(ChangeFeed.affectsVerification(p, p.withEnabled(false))).as("enabled").isTrue();
    assertThat(ChangeFeed.affectsVerification(p, new Principal(p.ref(), "Bot", "d", p.scope(), Set.of(),
        p.permissions(), true, T0, 2))).as("roles").isTrue();
    assertThat(ChangeFeed.affectsVerification(p, new Principal(p.ref(), "Bot", "d", p.scope(), p.roles(),
        Set.of("deploy"), true, T0, 2))).as("permissions").isTrue();
    assertThat(ChangeFeed.affectsVerification(p, new Principal(p.ref(), "Bot", "d", Scope.org("acme", "o"),
        p.roles(), p.permissions(), true, T0, 2))).as("scope").isTrue();
    assertThat(ChangeFeed.affectsVerification(p, new Principal(p.ref(), "Renamed", "other", p.scope(),
        Set.of("deployer"), Set.of("read", "deploy"), true, T0.plusSeconds(5), 2))).as("name, description").isFalse();
  }
}
