package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Expiration;
import dev.latchkey.LegacyToken;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.TestPepperAccess;
import dev.latchkey.PrincipalRef;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenRef;
import dev.latchkey.TokenStatus;
import dev.latchkey.internal.Minter.Minted;
import dev.latchkey.spi.CredentialHash;
import dev.latchkey.spi.TokenRecord;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The one place new token credentials are made: what is stored is the hash of what is shown, and nothing else leaks. */
class MinterTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final TokenRef SA_TOKEN = PrincipalRef.serviceAccount("acme", "ci").apiKey("k").token("t");
  private static final TokenRef USER_TOKEN = PrincipalRef.user("acme", "alice").apiKey("k").token("t");
  private static final String BCRYPT = "$2b$04$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZa";

  private final TokenCodec codec = new TokenCodec(TokenFormat.withPrefix("acme"));
  private final SecretHasher hasher = new SecretHasher(PepperKeyset.generate(new SecureRandom()), TestPepperAccess.get(), "acme");
  private final Minter minter = new Minter(codec, hasher, new SecureRandom());

  private String secretOf(Minted minted) {
    String value = minted.value().reveal();
    return value.substring(codec.secretStart(), codec.secretStart() + TokenFormat.SECRET_LENGTH);
  }

  @Test
  void anIssuedTokenStoresTheHashOfTheSecretInItsValueUnderTheLookupIdInItsValue() {
    NewToken request = new NewToken(SA_TOKEN, "CI", "deploys", Map.of("team", "ops"), Expiration.defaultLifetime());
    Instant expiresAt = NOW.plus(Duration.ofDays(3));
    Minted minted = minter.issue(request, NOW, expiresAt);

    String value = minted.value().reveal();
    assertThat(value).startsWith("acme_sat_" + minted.token().lookupId() + "_");
    assertThat(minted.record().current()).isEqualTo(hasher.hash(secretOf(minted)));
    assertThat(minted.record().previous()).isNull();
    assertThat(minted.token()).extracting("ref", "name", "description", "tags", "createdAt", "expiresAt", "status",
        "version").containsExactly(SA_TOKEN, "CI", "deploys", Map.of("team", "ops"), NOW, expiresAt,
        TokenStatus.ACTIVE, 1L);
    assertThat(minter.issue(request, NOW, expiresAt).token().lookupId()).as("a fresh lookup id each time")
        .isNotEqualTo(minted.token().lookupId());
    assertThat(minter.issue(new NewToken(USER_TOKEN, "Mine", "", Map.of(), Expiration.defaultLifetime()), NOW,
        null).value().reveal()).startsWith("acme_pat_");
  }

  @Test
  void aRotationKeepsTheLookupIdAndKeepsTheOldHashOnlyWhileAGracePeriodRuns() {
    Minted issued = minter.issue(new NewToken(SA_TOKEN, "CI", "", Map.of(), Expiration.defaultLifetime()), NOW,
        NOW.plus(Duration.ofDays(3)));
    Instant later = NOW.plusSeconds(60);
    Instant newExpiry = later.plus(Duration.ofDays(30));
    Instant graceEnd = later.plus(Duration.ofHours(1));

    Minted withGrace = minter.rotate(issued.record(), newExpiry, graceEnd, later);
    assertThat(withGrace.token().lookupId()).isEqualTo(issued.token().lookupId());
    assertThat(secretOf(withGrace)).isNotEqualTo(secretOf(issued));
    assertThat(withGrace.record().current()).isEqualTo(hasher.hash(secretOf(withGrace)));
    assertThat(withGrace.record().previous()).isEqualTo(issued.record().current());
    assertThat(withGrace.token()).extracting("expiresAt", "rotatedAt", "previousValidUntil", "version")
        .containsExactly(newExpiry, later, graceEnd, 2L);

    Minted immediate = minter.rotate(issued.record(), newExpiry, null, later);
    assertThat(immediate.record().previous()).isNull();
    assertThat(immediate.token().previousValidUntil()).isNull();
  }

  @Test
  void anImportStoresTheCallersBcryptHashAsGivenUnderTheLookupIdOfItsLegacyIds() {
    LegacyToken legacy = new LegacyToken(SA_TOKEN, "Old", "from the old system", Map.of(),
        Expiration.defaultLifetime(), "oldacct", "tok-1", BCRYPT);
    TokenRecord record = minter.imported(legacy, NOW, null);
    assertThat(record.token().lookupId()).isEqualTo(LegacyFormat.lookupId("oldacct", "tok-1"));
    assertThat(record.current()).isEqualTo(new CredentialHash(CredentialHash.BCRYPT, 0, BCRYPT));
    assertThat(record.previous()).isNull();
    assertThat(record.token()).extracting("ref", "name", "description", "createdAt", "expiresAt", "status", "version")
        .containsExactly(SA_TOKEN, "Old", "from the old system", NOW, null, TokenStatus.ACTIVE, 1L);
  }

  @Test
  void whatIsMintedNeverShowsTheValueOrTheSecretInToString() {
    Minted minted = minter.issue(new NewToken(SA_TOKEN, "CI", "", Map.of(), Expiration.defaultLifetime()), NOW,
        null);
    assertThat(minted.toString()).doesNotContain(minted.value().reveal()).doesNotContain(secretOf(minted))
        .doesNotContain(minted.record().current().payload());
    assertThat(minted.issued().value()).isSameAs(minted.value());
  }
}
