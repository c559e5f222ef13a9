package dev.latchkey.servlet;

import dev.latchkey.Actor;
import dev.latchkey.Expiration;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.StoreException;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenRef;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testsupport.MutableClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Latchkey over the memory store, with a hand-moved clock and a switch that makes token
 * lookups fail like a broken database.
 */
final class Fixture implements AutoCloseable {
  static final String PREFIX = "acme";
  static final Actor SYSTEM = Actor.system();

  final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  final AtomicBoolean storeDown = new AtomicBoolean();
  final Latchkey latchkey;
  final TokenManager admin;
  private final AtomicInteger sequence = new AtomicInteger();

  record Issued(PrincipalRef principal, IssuedToken issued) {
    String token() {
      return issued.value().reveal();
    }

    TokenRef ref() {
      return issued.ref();
    }
  }

  Fixture() {
    TokenStore store = new ForwardingTokenStore(new MemoryTokenStore(clock)) {
      @Override
      public Optional<TokenRecord> findTokenByLookupId(String lookupId) {
        if (storeDown.get()) {
          throw new StoreException("simulated outage");
        }
        return super.findTokenByLookupId(lookupId);
      }
    };
    latchkey = Latchkey.builder()
        .store(store)
        .peppers(PepperKeyset.generate(new SecureRandom()))
        .tokenPrefix(PREFIX)
        .clock(clock)
        .build();
    admin = latchkey.manager();
    admin.createAccount(SYSTEM, "acme", "Acme Inc.");
  }

  /** A new service account with one token of the default lifetime. */
  Issued serviceAccount(String id, Set<String> roles, Set<String> permissions) {
    var sa = admin.createServiceAccount(SYSTEM, NewServiceAccount.of(Scope.account("acme"), id, "Bot " + id)
        .withRoles(roles).withPermissions(permissions));
    return issue(sa.ref(), Expiration.defaultLifetime());
  }

  Issued serviceAccount(Set<String> roles, Set<String> permissions) {
    return serviceAccount("bot_" + sequence.incrementAndGet(), roles, permissions);
  }

  /** A new key with one token under an existing principal. */
  Issued issue(PrincipalRef owner, Expiration expiration) {
    int n = sequence.incrementAndGet();
    var key = admin.createApiKey(SYSTEM, NewApiKey.of(owner, "key_" + n, "Key " + n));
    var token = admin.issueToken(SYSTEM, NewToken.of(key.ref(), "token_" + n, "Token " + n).expiring(expiration));
    return new Issued(owner, token);
  }

  @Override
  public void close() {
    latchkey.close();
  }
}
