package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenFormat;
import dev.latchkey.Verified;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The verifier trusts a store's answer only for the lookup id it asked for, byte for byte. A store
 * whose id column compares case-insensitively (H2 with {@code IGNORECASE=TRUE}, a MySQL-style
 * collation) returns the record of {@code AbC...} when asked for {@code abC...}; the variant must
 * not verify, or a revocation (which invalidates the stored id) would leave it cached.
 */
class LookupIdExactMatchTest {

  /** Finds lookup ids case-insensitively, like a store over a case-insensitive column. */
  static final class CaseFoldingStore extends ForwardingTokenStore {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    CaseFoldingStore(TokenStore delegate) {
      super(delegate);
    }

    @Override
    public void insertToken(TokenRecord t, int max, Instant now) {
      super.insertToken(t, max, now);
      ids.add(t.lookupId());
    }

    @Override
    public Optional<TokenRecord> findTokenByLookupId(String id) {
      for (String stored : ids) {
        if (stored.equalsIgnoreCase(id)) {
          return super.findTokenByLookupId(stored);
        }
      }
      return Optional.empty();
    }
  }

  /** The token with one letter of its lookup id in the other case, and the checksum recomputed. */
  static String caseVariant(String token, String prefix) {
    int idStart = prefix.length() + 5;
    char[] chars = token.toCharArray();
    for (int i = idStart; i < idStart + TokenFormat.ID_LENGTH; i++) {
      char c = chars[i];
      if (Character.isLetter(c)) {
        chars[i] = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        String flipped = new String(chars);
        return PrefixBindingTest.withPrefix(flipped, prefix, prefix);
      }
    }
    throw new IllegalStateException("no letter in the lookup id");
  }

  @Test
  void aRecordFoundUnderAnotherSpellingOfTheIdIsAbsent() {
    try (World w = new World(new CaseFoldingStore(new SimpleTokenStore()), b -> b)) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      String variant = caseVariant(t.value().reveal(), "acme");
      assertThat(variant).isNotEqualTo(t.value().reveal()).matches(w.latchkey.format().scannerPattern());
      assertThat(w.memory.findTokenByLookupId(t.token().lookupId())).isPresent();

      assertThat(w.verifier.verify(variant)).as("the case variant").isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      assertThat(w.verifier.verify(variant)).as("the case variant, once the real id is cached")
          .isEqualTo(Rejected.of(RejectReason.UNKNOWN));

      w.m.revokeToken(w.system, t.ref());
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
      assertThat(w.verifier.verify(variant)).as("the variant after revocation").isInstanceOf(Rejected.class);
    }
  }
}
