package dev.latchkey.bench;

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
import dev.latchkey.testing.ForwardingTokenStore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link TokenStore} that forwards every call to another store and counts the calls, so a
 * benchmark can show how many store round trips a verification costs (none for malformed input and
 * for cache hits). The optional capabilities are forwarded as the delegate offers them ({@link
 * ForwardingTokenStore}, from core's test fixtures); calls to them count too, except the change
 * feed's, which is forwarded uncounted: it is read by the background poller, never by a
 * verification.
 */
final class CountingTokenStore extends ForwardingTokenStore {
  private final LongAdder calls = new LongAdder();
  private final LongAdder tokenLookups = new LongAdder();
  private final LongAdder principalLookups = new LongAdder();
  private final LongAdder watchedLookups = new LongAdder();
  private volatile Set<String> watched = Set.of();

  CountingTokenStore(TokenStore delegate) {
    super(delegate);
  }

  /** Every store call so far, except change-feed reads. */
  long calls() {
    return calls.sum();
  }

  /** {@link #findTokenByLookupId} calls so far: the verifier's token read. */
  long tokenLookups() {
    return tokenLookups.sum();
  }

  /** {@link #findPrincipal} calls so far: the verifier's principal read. */
  long principalLookups() {
    return principalLookups.sum();
  }

  /** Starts counting {@link #findTokenByLookupId} calls for these lookup ids (a hot set, say). */
  void watch(Set<String> lookupIds) {
    watched = Set.copyOf(lookupIds);
  }

  /** {@link #findTokenByLookupId} calls so far for the ids given to {@link #watch}. */
  long watchedLookups() {
    return watchedLookups.sum();
  }

  private void count() {
    calls.increment();
  }

  @Override
  public void insertAccount(Account account) {
    count();
    delegate.insertAccount(account);
  }

  @Override
  public Optional<Account> findAccount(String accountId) {
    count();
    return delegate.findAccount(accountId);
  }

  @Override
  public Page<Account> listAccounts(PageRequest page) {
    count();
    return delegate.listAccounts(page);
  }

  @Override
  public Optional<Removal> deleteAccount(String accountId) {
    count();
    return delegate.deleteAccount(accountId);
  }

  @Override
  public void insertPrincipal(Principal principal) {
    count();
    delegate.insertPrincipal(principal);
  }

  @Override
  public Optional<Principal> findPrincipal(PrincipalRef ref) {
    count();
    principalLookups.increment();
    return delegate.findPrincipal(ref);
  }

  @Override
  public boolean updatePrincipal(long expectedVersion, Principal updated) {
    count();
    return delegate.updatePrincipal(expectedVersion, updated);
  }

  @Override
  public Optional<Removal> deletePrincipal(PrincipalRef ref, long expectedVersion) {
    count();
    return delegate.deletePrincipal(ref, expectedVersion);
  }

  @Override
  public Page<Principal> listPrincipals(String accountId, PrincipalType type, PageRequest page) {
    count();
    return delegate.listPrincipals(accountId, type, page);
  }

  @Override
  public void insertApiKey(ApiKey key, int maxKeysPerOwner) {
    count();
    delegate.insertApiKey(key, maxKeysPerOwner);
  }

  @Override
  public Optional<ApiKey> findApiKey(ApiKeyRef ref) {
    count();
    return delegate.findApiKey(ref);
  }

  @Override
  public boolean updateApiKey(long expectedVersion, ApiKey updated) {
    count();
    return delegate.updateApiKey(expectedVersion, updated);
  }

  @Override
  public Optional<Removal> deleteApiKey(ApiKeyRef ref) {
    count();
    return delegate.deleteApiKey(ref);
  }

  @Override
  public Optional<Removal> deleteApiKey(ApiKeyRef ref, long expectedVersion) {
    count();
    return delegate.deleteApiKey(ref, expectedVersion);
  }

  @Override
  public Page<ApiKey> listApiKeys(PrincipalRef owner, PageRequest page) {
    count();
    return delegate.listApiKeys(owner, page);
  }

  @Override
  public void insertToken(TokenRecord token, int maxUsableTokensPerKey, Instant now) {
    count();
    delegate.insertToken(token, maxUsableTokensPerKey, now);
  }

  @Override
  public Optional<TokenRecord> findToken(TokenRef ref) {
    count();
    return delegate.findToken(ref);
  }

  @Override
  public Optional<TokenRecord> findTokenByLookupId(String lookupId) {
    count();
    tokenLookups.increment();
    if (watched.contains(lookupId)) {
      watchedLookups.increment();
    }
    return delegate.findTokenByLookupId(lookupId);
  }

  @Override
  public boolean updateToken(long expectedVersion, TokenRecord updated) {
    count();
    return delegate.updateToken(expectedVersion, updated);
  }

  @Override
  public Optional<Removal> deleteToken(TokenRef ref) {
    count();
    return delegate.deleteToken(ref);
  }

  @Override
  public Optional<Removal> deleteToken(TokenRef ref, long expectedVersion) {
    count();
    return delegate.deleteToken(ref, expectedVersion);
  }

  @Override
  public Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page) {
    count();
    return delegate.listTokens(key, page);
  }

  @Override
  public String addPepperCheck(int pepperVersion, String check) {
    count();
    return delegate.addPepperCheck(pepperVersion, check);
  }

  @Override
  public Optional<ExpiringTokenQuery> expiringTokenQuery() {
    return delegate.expiringTokenQuery().map(q -> (from, to, page) -> {
      count();
      return q.listTokensExpiringBetween(from, to, page);
    });
  }

  @Override
  public Optional<HashUsageQuery> hashUsageQuery() {
    return delegate.hashUsageQuery().map(q -> () -> {
      count();
      return q.hashUsage();
    });
  }

  @Override
  public Optional<LastUsedSink> lastUsedSink() {
    return delegate.lastUsedSink().map(sink -> new LastUsedSink() {
      @Override
      public void recordLastUsed(java.util.Map<String, java.time.Instant> lastUsed) {
        count();
        sink.recordLastUsed(lastUsed);
      }

      @Override
      public void recordLastUses(java.util.Map<String, dev.latchkey.spi.LastUse> lastUses) {
        count(); // forwarded as such, with the addresses
        sink.recordLastUses(lastUses);
      }
    });
  }
}
