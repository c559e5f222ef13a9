package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.PageRequest;
import dev.latchkey.RateLimit;
import dev.latchkey.Token;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.TokenRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Required core: rate limits on keys and tokens are stored, listed and updated like any other field,
 * and the verifier's lookup returns each token with its key's current limit. With a change feed, a
 * change of a key's limit announces every token of that key (and of no other), since a verifier
 * reads the key's limit with each of them.
 */
abstract class RateLimitsContract extends ContractGroup {
  static final RateLimit KEY_LIMIT = new RateLimit(100, Duration.ofMinutes(1), 150);
  static final RateLimit TOKEN_LIMIT = RateLimit.of(10, Duration.ofSeconds(1));

  static ApiKey limited(ApiKey k, @Nullable RateLimit limit, long version) {
    return new ApiKey(k.ref(), k.name(), k.description(), k.tags(), k.scope(), k.defaultTokenLifetime(), k.createdAt(),
        version, limit);
  }

  static TokenRecord limited(TokenRecord r, @Nullable RateLimit limit, long version) {
    Token t = r.token();
    return new TokenRecord(new Token(t.ref(), t.lookupId(), t.name(), t.description(), t.tags(), t.createdAt(),
        t.expiresAt(), t.status(), t.rotatedAt(), t.previousValidUntil(), t.lastUsedAt(), version, limit),
        r.current(), r.previous());
  }

  @Test
  void limitsRoundTripAndTheLookupBringsTheKeysLimit() {
    seedKey();
    ApiKey k = insert(limited(apiKey(sa.ref(), "limited"), KEY_LIMIT, 1));
    assertThat(store.findApiKey(k.ref())).contains(k);
    assertThat(store.listApiKeys(sa.ref(), PageRequest.first(10)).items()).contains(k);

    TokenRecord both = insert(limited(token(k.ref(), "both"), TOKEN_LIMIT, 1));
    TokenRecord keyOnly = insert(token(k.ref(), "keyOnly"));
    TokenRecord neither = insert(token(key.ref(), "neither"));
    assertThat(store.findToken(both.token().ref())).hasValueSatisfying(
        r -> assertThat(r.token()).isEqualTo(both.token()));
    assertThat(store.listTokens(k.ref(), PageRequest.first(10)).items())
        .extracting(r -> r.token().rateLimit()).containsExactly(TOKEN_LIMIT, null);

    assertThat(store.findTokenByLookupId(both.lookupId())).contains(both.withKeyRateLimit(KEY_LIMIT));
    assertThat(store.findTokenByLookupId(keyOnly.lookupId())).contains(keyOnly.withKeyRateLimit(KEY_LIMIT));
    assertThat(store.findTokenByLookupId(neither.lookupId())).contains(neither);
  }

  @Test
  void aTokensLimitIsUpdatedAndRemoved() {
    TokenRecord t = seedToken();
    TokenRecord withLimit = limited(t, TOKEN_LIMIT, 2);
    assertThat(store.updateToken(1, withLimit)).isTrue();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().rateLimit()).isEqualTo(TOKEN_LIMIT);
    assertThat(store.findTokenByLookupId(t.lookupId()).orElseThrow().token().rateLimit()).isEqualTo(TOKEN_LIMIT);
    TokenRecord renamed = Fixtures.withText(withLimit, "renamed", "d", Map.of());
    renamed = limited(renamed, TOKEN_LIMIT, 3); // the fixture copies without a limit; keep it
    assertThat(store.updateToken(2, renamed)).isTrue();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().rateLimit()).isEqualTo(TOKEN_LIMIT);
    assertThat(store.updateToken(3, limited(renamed, null, 4))).isTrue();
    assertThat(store.findToken(t.token().ref()).orElseThrow().token().rateLimit()).isNull();
  }

  @Test
  void aKeysLimitIsUpdatedAndTheLookupSeesItAtOnce() {
    TokenRecord t = seedToken();
    ApiKey withLimit = limited(key, KEY_LIMIT, 2);
    assertThat(store.updateApiKey(1, withLimit)).isTrue();
    assertThat(store.findApiKey(key.ref())).contains(withLimit);
    assertThat(store.findTokenByLookupId(t.lookupId()).orElseThrow().keyRateLimit()).isEqualTo(KEY_LIMIT);
    assertThat(store.updateApiKey(2, limited(key, null, 3))).isTrue();
    assertThat(store.findApiKey(key.ref()).orElseThrow().rateLimit()).isNull();
    assertThat(store.findTokenByLookupId(t.lookupId()).orElseThrow().keyRateLimit()).isNull();
  }

  @Test
  void aKeysLimitChangeAnnouncesEveryTokenOfThatKeyAndNoOther() {
    org.junit.jupiter.api.Assumptions.assumeTrue(store.changeFeed().isPresent(), "the store has no change feed");
    ApiKeyRef k = seedKey();
    TokenRecord a = insert(token(k, "a"));
    TokenRecord b = insert(token(k, "b"));
    ApiKey other = insert(apiKey(sa.ref(), "other"));
    insert(token(other.ref(), "c"));

    long start = feedHead();
    assertThat(store.updateApiKey(1, Fixtures.edited(key, "renamed", "d", Map.of(), key.defaultTokenLifetime()))).isTrue();
    assertThat(changesAfter(start)).as("a rename is not announced").isEmpty();

    ApiKey renamed = store.findApiKey(k).orElseThrow();
    assertThat(store.updateApiKey(2, limited(renamed, KEY_LIMIT, 3))).isTrue();
    List<Change> changes = changesAfter(start);
    assertThat(changes).extracting(Change::type).containsOnly(Change.Type.TOKEN);
    assertThat(changes).extracting(Change::subject).containsExactlyInAnyOrder(a.lookupId(), b.lookupId());

    long afterKey = feedHead();
    assertThat(store.updateToken(1, limited(a, TOKEN_LIMIT, 2))).isTrue();
    assertThat(changesAfter(afterKey)).extracting(Change::subject).containsExactly(a.lookupId());
  }
}
