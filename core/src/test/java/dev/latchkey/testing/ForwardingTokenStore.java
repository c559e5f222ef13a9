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
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.Removal;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link TokenStore} that forwards every call to another store; a test overrides what it needs to
 * count, delay, fail or hide. Every method of {@code TokenStore} is overridden here, the optional
 * capabilities included, so that a wrapper offers exactly the capabilities of the store it wraps:
 * a capability method left to the interface's default would answer "not offered" and silently
 * hide the delegate's change feed, say. A wrapper that decorates a capability keeps it absent when
 * the delegate lacks it ({@code super.lastUsedSink().map(...)}); one that hides a capability says
 * so by returning empty. This class implements no capability interface itself, so it exposes none
 * by accident either. {@code ForwardingTokenStoreTest} checks all three.
 */
public abstract class ForwardingTokenStore implements TokenStore {
  /** The store calls go to. */
  protected final TokenStore delegate;

  protected ForwardingTokenStore(TokenStore delegate) {
    if (delegate == null) {
      throw new IllegalArgumentException("delegate is required");
    }
    this.delegate = delegate;
  }

  /** {@code store} with every optional capability answered "not offered", as a minimal store would. */
  public static TokenStore coreOnly(TokenStore store) {
    return new ForwardingTokenStore(store) {
      @Override public Optional<ChangeFeed> changeFeed() { return Optional.empty(); }
      @Override public Optional<ExpiringTokenQuery> expiringTokenQuery() { return Optional.empty(); }
      @Override public Optional<HashUsageQuery> hashUsageQuery() { return Optional.empty(); }
      @Override public Optional<LastUsedSink> lastUsedSink() { return Optional.empty(); }
    };
  }

  // ---- the required core

  @Override public void insertAccount(Account a) { delegate.insertAccount(a); }
  @Override public Optional<Account> findAccount(String id) { return delegate.findAccount(id); }
  @Override public Page<Account> listAccounts(PageRequest p) { return delegate.listAccounts(p); }
  @Override public Optional<Removal> deleteAccount(String id) { return delegate.deleteAccount(id); }
  @Override public void insertPrincipal(Principal p) { delegate.insertPrincipal(p); }
  @Override public Optional<Principal> findPrincipal(PrincipalRef r) { return delegate.findPrincipal(r); }
  @Override public boolean updatePrincipal(long v, Principal p) { return delegate.updatePrincipal(v, p); }
  @Override public Optional<Removal> deletePrincipal(PrincipalRef r, long v) { return delegate.deletePrincipal(r, v); }
  @Override public Page<Principal> listPrincipals(String a, PrincipalType t, PageRequest p) { return delegate.listPrincipals(a, t, p); }
  @Override public void insertApiKey(ApiKey k, int max) { delegate.insertApiKey(k, max); }
  @Override public Optional<ApiKey> findApiKey(ApiKeyRef r) { return delegate.findApiKey(r); }
  @Override public boolean updateApiKey(long v, ApiKey k) { return delegate.updateApiKey(v, k); }
  @Override public Optional<Removal> deleteApiKey(ApiKeyRef r) { return delegate.deleteApiKey(r); }
  @Override public Page<ApiKey> listApiKeys(PrincipalRef o, PageRequest p) { return delegate.listApiKeys(o, p); }
  @Override public void insertToken(TokenRecord t, int max, Instant now) { delegate.insertToken(t, max, now); }
  @Override public Optional<TokenRecord> findToken(TokenRef r) { return delegate.findToken(r); }
  @Override public Optional<TokenRecord> findTokenByLookupId(String id) { return delegate.findTokenByLookupId(id); }
  @Override public boolean updateToken(long v, TokenRecord t) { return delegate.updateToken(v, t); }
  @Override public Optional<Removal> deleteToken(TokenRef r) { return delegate.deleteToken(r); }
  @Override public Page<TokenRecord> listTokens(ApiKeyRef k, PageRequest p) { return delegate.listTokens(k, p); }
  @Override public String addPepperCheck(int v, String c) { return delegate.addPepperCheck(v, c); }

  // ---- the optional capabilities: exactly the delegate's

  @Override public Optional<ChangeFeed> changeFeed() { return delegate.changeFeed(); }
  @Override public Optional<ExpiringTokenQuery> expiringTokenQuery() { return delegate.expiringTokenQuery(); }
  @Override public Optional<HashUsageQuery> hashUsageQuery() { return delegate.hashUsageQuery(); }
  @Override public Optional<LastUsedSink> lastUsedSink() { return delegate.lastUsedSink(); }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
