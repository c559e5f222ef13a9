package dev.latchkey.testing;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real store behind a counter of every call, so tests can assert "the store was not touched".
 * Optionally fails every call (an outage), fails last-used writes, or delays token lookups. The
 * capabilities the delegate offers are counted (and fail) too, except the change feed, which passes
 * through untouched: the background poller reads it, never a verification or a management call.
 */
public final class CountingStore extends ForwardingTokenStore {
  public final AtomicLong calls = new AtomicLong();
  public final AtomicLong tokenLookups = new AtomicLong();
  public final AtomicLong lastUsedBatches = new AtomicLong();
  public volatile boolean failing;
  public volatile boolean failLastUsed;
  public volatile long lookupDelayMillis;

  public CountingStore(TokenStore delegate) {
    super(delegate);
  }

  private void touch() {
    calls.incrementAndGet();
    if (failing) {
      throw new dev.latchkey.StoreException("simulated outage");
    }
  }

  @Override public void insertAccount(Account a) { touch(); super.insertAccount(a); }
  @Override public Optional<Account> findAccount(String id) { touch(); return super.findAccount(id); }
  @Override public Page<Account> listAccounts(PageRequest p) { touch(); return super.listAccounts(p); }
  @Override public Optional<Removal> deleteAccount(String id) { touch(); return super.deleteAccount(id); }
  @Override public void insertPrincipal(Principal p) { touch(); super.insertPrincipal(p); }
  @Override public Optional<Principal> findPrincipal(PrincipalRef r) { touch(); return super.findPrincipal(r); }
  @Override public boolean updatePrincipal(long v, Principal p) { touch(); return super.updatePrincipal(v, p); }
  @Override public Optional<Removal> deletePrincipal(PrincipalRef r, long v) { touch(); return super.deletePrincipal(r, v); }
  @Override public Page<Principal> listPrincipals(String a, PrincipalType t, PageRequest p) { touch(); return super.listPrincipals(a, t, p); }
  @Override public void insertApiKey(ApiKey k, int max) { touch(); super.insertApiKey(k, max); }
  @Override public Optional<ApiKey> findApiKey(ApiKeyRef r) { touch(); return super.findApiKey(r); }
  @Override public boolean updateApiKey(long v, ApiKey k) { touch(); return super.updateApiKey(v, k); }
  @Override public Optional<Removal> deleteApiKey(ApiKeyRef r) { touch(); return super.deleteApiKey(r); }
  @Override public Optional<Removal> deleteApiKey(ApiKeyRef r, long v) { touch(); return super.deleteApiKey(r, v); }
  @Override public Page<ApiKey> listApiKeys(PrincipalRef o, PageRequest p) { touch(); return super.listApiKeys(o, p); }
  @Override public void insertToken(TokenRecord t, int max, Instant now) { touch(); super.insertToken(t, max, now); }
  @Override public Optional<TokenRecord> findToken(TokenRef r) { touch(); return super.findToken(r); }
  @Override public boolean updateToken(long v, TokenRecord t) { touch(); return super.updateToken(v, t); }
  @Override public Optional<Removal> deleteToken(TokenRef r) { touch(); return super.deleteToken(r); }
  @Override public Optional<Removal> deleteToken(TokenRef r, long v) { touch(); return super.deleteToken(r, v); }
  @Override public Page<TokenRecord> listTokens(ApiKeyRef k, PageRequest p) { touch(); return super.listTokens(k, p); }
  @Override public String addPepperCheck(int v, String c) { touch(); return super.addPepperCheck(v, c); }

  @Override
  public Optional<TokenRecord> findTokenByLookupId(String id) {
    touch();
    tokenLookups.incrementAndGet();
    if (lookupDelayMillis > 0) {
      try {
        Thread.sleep(lookupDelayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return super.findTokenByLookupId(id);
  }

  @Override
  public Optional<ExpiringTokenQuery> expiringTokenQuery() {
    return super.expiringTokenQuery().map(q -> (f, t, p) -> {
      touch();
      return q.listTokensExpiringBetween(f, t, p);
    });
  }

  @Override
  public Optional<HashUsageQuery> hashUsageQuery() {
    return super.hashUsageQuery().map(q -> () -> {
      touch();
      return q.hashUsage();
    });
  }

  @Override
  public Optional<LastUsedSink> lastUsedSink() {
    return super.lastUsedSink().map(sink -> new LastUsedSink() {
      @Override
      public void recordLastUsed(java.util.Map<String, java.time.Instant> m) {
        batch();
        sink.recordLastUsed(m);
      }

      @Override
      public void recordLastUses(java.util.Map<String, dev.latchkey.spi.LastUse> m) {
        batch(); // forwarded as such, so that the addresses reach the store
        sink.recordLastUses(m);
      }
    });
  }

  private void batch() {
    touch();
    lastUsedBatches.incrementAndGet();
    if (failLastUsed) {
      throw new dev.latchkey.StoreException("simulated last-used failure");
    }
  }
}
