package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.TokenRecord;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Required core: the verifier's lookup by lookup id. Exact, byte for byte, case-sensitive.
 */
abstract class LookupContract extends ContractGroup {
  @Test
  void tokensRoundTripExactlyByRefAndByLookupId() {
    ApiKeyRef k = seedKey();
    TokenRecord t = insert(token(k, "t1"));
    TokenRecord noExpiry = insert(token(k, "t2", (java.time.Instant) null));
    assertThat(store.findToken(t.token().ref())).contains(t);
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(t);
    assertThat(store.findTokenByLookupId(noExpiry.lookupId())).contains(noExpiry);
    assertThat(store.findTokenByLookupId("0000000000000000")).isEmpty();
    assertThat(store.findToken(new TokenRef(k, "nope"))).isEmpty();
  }

  @Test
  void lookupByLookupIdIsExactAndCaseSensitive() {
    // Lookup ids are base62: 'a' and 'A' are different digits. A store that compares them
    // case-insensitively lets a token with one letter's case flipped (and its checksum recomputed)
    // stand in for the real one, and keep verifying after the real one is revoked.
    ApiKeyRef k = seedKey();
    String id = "aB" + Fixtures.lookupId().substring(2);
    TokenRecord t = insert(token(k, "t1", id));
    assertThat(store.findTokenByLookupId(id)).contains(t);
    assertThat(store.findTokenByLookupId("A" + id.substring(1))).as("first letter's case flipped").isEmpty();
    assertThat(store.findTokenByLookupId("ab" + id.substring(2))).as("second letter's case flipped").isEmpty();
    assertThat(store.findTokenByLookupId(id.toUpperCase(Locale.ROOT))).as("upper case").isEmpty();
    assertThat(store.findTokenByLookupId(id.toLowerCase(Locale.ROOT))).as("lower case").isEmpty();
    assertThat(store.findTokenByLookupId(id + " ")).as("trailing space").isEmpty();
    assertThat(store.findTokenByLookupId(id.substring(0, id.length() - 1))).as("prefix").isEmpty();
    // a lookup id that differs only in case belongs to another token
    String twin = "Ab" + id.substring(2);
    TokenRecord t2 = insert(token(k, "t2", twin));
    assertThat(store.findTokenByLookupId(twin)).contains(t2);
    assertThat(store.findTokenByLookupId(id)).contains(t);
  }
}
