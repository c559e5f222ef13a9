package dev.latchkey.tck;

import static dev.latchkey.tck.Fixtures.T0;
import static dev.latchkey.tck.Fixtures.apiKey;
import static dev.latchkey.tck.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.IpRange;
import dev.latchkey.Restriction;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.TokenRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Restrictions of keys and tokens (permissions, roles, address allow-lists): stored exactly as
 * given, on every read path, including the largest allowed values and the difference between "no
 * restriction" (null) and "restricted to nothing" (empty). With a change feed: a token's restriction
 * edit announces the token, and a key's restriction edit announces every token of that key (a
 * verifier caches each token with its key's restriction), while a key edit that leaves the
 * restriction alone announces nothing.
 */
abstract class RestrictionsContract extends ContractGroup {
  static final Restriction FULL = new Restriction(Set.of("read", "deploy.prod"), Set.of("builder"),
      Restriction.parseRanges(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1")));

  /** The largest restriction: 64 names of 128 characters each, 16 of the longest IPv6 ranges. */
  static Restriction largest() {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < 64; i++) {
      names.add(String.format("%03d", i) + "p".repeat(125));
    }
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < Restriction.MAX_ALLOWED_ADDRESSES; i++) {
      ranges.add(String.format("ffff:ffff:ffff:ffff:ffff:ffff:ffff:%x00/120", 0xe0 + i));
    }
    return new Restriction(names, names, Restriction.parseRanges(ranges));
  }

  private void assertReadBack(TokenRecord t) {
    assertThat(store.findToken(t.token().ref())).contains(t);
    assertThat(store.findTokenByLookupId(t.lookupId())).contains(t);
    assertThat(all(p -> store.listTokens(t.token().ref().apiKey(), p), 10)).contains(t);
  }

  private void assertReadBack(ApiKey k) {
    assertThat(store.findApiKey(k.ref())).contains(k);
    assertThat(all(p -> store.listApiKeys(k.ref().owner(), p), 10)).contains(k);
  }

  @Test
  void aTokensRestrictionIsStoredExactly() {
    ApiKeyRef k = seedKey();
    TokenRecord full = insert(Fixtures.withRestriction(token(k, "full"), FULL));
    TokenRecord big = insert(Fixtures.withRestriction(token(k, "big"), largest()));
    TokenRecord nothing = insert(Fixtures.withRestriction(token(k, "nothing"),
        new Restriction(Set.of(), null, List.of())));
    TokenRecord plain = insert(token(k, "plain"));
    assertReadBack(full);
    assertReadBack(big);
    assertReadBack(nothing);
    assertReadBack(plain);
    assertThat(store.findToken(nothing.token().ref()).orElseThrow().token().restriction().permissions())
        .as("restricted to no permission at all, not unrestricted").isEmpty();
    assertThat(store.findToken(nothing.token().ref()).orElseThrow().token().restriction().roles()).isNull();
    assertThat(store.findToken(plain.token().ref()).orElseThrow().token().restriction()).isEqualTo(Restriction.NONE);
    assertThat(store.findToken(full.token().ref()).orElseThrow().token().restriction().allowedAddresses())
        .extracting(IpRange::toString).containsExactly("10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "::1/128");
  }

  @Test
  void aTokensRestrictionCanBeChangedAndLifted() {
    TokenRecord t = seedToken();
    TokenRecord narrowed = updated(t, Fixtures.withRestriction(t, FULL));
    assertReadBack(narrowed);
    TokenRecord lifted = updated(narrowed, Fixtures.withRestriction(narrowed, Restriction.NONE));
    assertReadBack(lifted);
  }

  @Test
  void aKeysRestrictionIsStoredExactlyAndCanBeChanged() {
    seedKey();
    ApiKey restricted = insert(Fixtures.withRestriction(apiKey(sa.ref(), "k2"), largest()));
    assertReadBack(restricted);
    assertReadBack(key);
    ApiKey narrowed = Fixtures.withRestriction(key, FULL);
    assertThat(store.updateApiKey(key.version(), narrowed)).isTrue();
    assertReadBack(narrowed);
    ApiKey lifted = Fixtures.withRestriction(narrowed, Restriction.NONE);
    assertThat(store.updateApiKey(narrowed.version(), lifted)).isTrue();
    assertReadBack(lifted);
  }

  // ---- the change feed, when the store has one

  private long head() {
    assumeTrue(store.changeFeed().isPresent(), "the store has no change feed");
    return feedHead();
  }

  @Test
  void aTokenRestrictionEditAnnouncesTheToken() {
    TokenRecord t = seedToken();
    long start = head();
    updated(t, Fixtures.withRestriction(t, Restriction.permissions("read")));
    assertThat(changesAfter(start)).extracting(Change::type, Change::subject)
        .containsExactly(tuple(Change.Type.TOKEN, t.lookupId()));
  }

  @Test
  void aKeyRestrictionEditAnnouncesEveryTokenOfTheKeyAndNoOther() {
    ApiKeyRef k = seedKey();
    TokenRecord t1 = insert(token(k, "t1"));
    TokenRecord t2 = insert(token(k, "t2"));
    TokenRecord t3 = insert(Fixtures.withStatus(token(k, "t3"), dev.latchkey.TokenStatus.REVOKED));
    ApiKey other = insert(apiKey(sa.ref(), "k2"));
    insert(token(other.ref(), "o1"));
    long start = head();

    ApiKey renamed = Fixtures.edited(key, "renamed", "d", Map.of(), null);
    assertThat(store.updateApiKey(key.version(), renamed)).isTrue();
    assertThat(changesAfter(start)).as("a rename announces nothing").isEmpty();

    ApiKey narrowed = Fixtures.withRestriction(renamed, Restriction.from("10.0.0.0/8"));
    assertThat(store.updateApiKey(key.version(), Fixtures.withRestriction(key, Restriction.from("10.0.0.0/8"))))
        .as("stale version").isFalse();
    assertThat(changesAfter(start)).as("a failed update announces nothing").isEmpty();
    assertThat(store.updateApiKey(renamed.version(), narrowed)).isTrue();
    assertThat(changesAfter(start)).extracting(Change::type, Change::subject).containsExactlyInAnyOrder(
        tuple(Change.Type.TOKEN, t1.lookupId()),
        tuple(Change.Type.TOKEN, t2.lookupId()),
        tuple(Change.Type.TOKEN, t3.lookupId()));
    long afterNarrowing = feedHead();
    assertThat(afterNarrowing).isEqualTo(start + 3);

    ApiKey sameRestriction = Fixtures.edited(narrowed, "again", "d", Map.of(), null);
    assertThat(store.updateApiKey(narrowed.version(), sameRestriction)).isTrue();
    assertThat(changesAfter(afterNarrowing)).as("same restriction: nothing").isEmpty();
  }

  @Test
  void aKeyWithoutTokensAnnouncesNothing() {
    seedKey();
    long start = head();
    assertThat(store.updateApiKey(key.version(), Fixtures.withRestriction(key, FULL))).isTrue();
    assertThat(changesAfter(start)).isEmpty();
    assertThat(store.findApiKey(key.ref()).orElseThrow().restriction()).isEqualTo(FULL);
    assertThat(T0).isNotNull();
  }
}
