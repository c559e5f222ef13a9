package dev.latchkey.cli;

import dev.latchkey.Account;
import dev.latchkey.Actor;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Token;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenRef;
import dev.latchkey.UnsupportedByStoreException;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.time.Instant;

/**
 * What the list and get commands read. Acting as a principal ({@code --as}) they read through the
 * {@link TokenManager}, which applies the access policy and so needs a full {@code Latchkey} (and
 * its pepper keyset). Acting as the system actor, which the access policy never restricts, they read
 * the store directly: no keyset is needed to look at metadata, and nothing is written.
 */
interface Reads {
  Account account(String accountId);

  Page<Account> accounts(PageRequest page);

  Principal principal(PrincipalRef ref);

  Page<Principal> principals(String accountId, PrincipalType type, PageRequest page);

  ApiKey apiKey(ApiKeyRef ref);

  Page<ApiKey> apiKeys(PrincipalRef owner, PageRequest page);

  Token token(TokenRef ref);

  Page<Token> tokens(ApiKeyRef key, PageRequest page);

  Page<Token> tokensExpiringBetween(Instant from, Instant to, PageRequest page);

  /** Reads as {@code actor}, under the access policy. */
  static Reads through(TokenManager manager, Actor actor) {
    return new Reads() {
      @Override
      public Account account(String accountId) {
        return manager.getAccount(actor, accountId);
      }

      @Override
      public Page<Account> accounts(PageRequest page) {
        return manager.listAccounts(actor, page);
      }

      @Override
      public Principal principal(PrincipalRef ref) {
        return manager.getPrincipal(actor, ref);
      }

      @Override
      public Page<Principal> principals(String accountId, PrincipalType type, PageRequest page) {
        return manager.listPrincipals(actor, accountId, type, page);
      }

      @Override
      public ApiKey apiKey(ApiKeyRef ref) {
        return manager.getApiKey(actor, ref);
      }

      @Override
      public Page<ApiKey> apiKeys(PrincipalRef owner, PageRequest page) {
        return manager.listApiKeys(actor, owner, page);
      }

      @Override
      public Token token(TokenRef ref) {
        return manager.getToken(actor, ref);
      }

      @Override
      public Page<Token> tokens(ApiKeyRef key, PageRequest page) {
        return manager.listTokens(actor, key, page);
      }

      @Override
      public Page<Token> tokensExpiringBetween(Instant from, Instant to, PageRequest page) {
        return manager.listTokensExpiringBetween(actor, from, to, page);
      }
    };
  }

  /**
   * Reads as the system actor, straight from the store. The same answers as {@link TokenManager}
   * gives the system actor, including its "does not exist" errors (ReadOnlyCommandsTest compares
   * them).
   */
  static Reads systemFrom(TokenStore store) {
    return new Reads() {
      @Override
      public Account account(String accountId) {
        return store.findAccount(accountId)
            .orElseThrow(() -> new NotFoundException("account " + accountId + " does not exist"));
      }

      @Override
      public Page<Account> accounts(PageRequest page) {
        return store.listAccounts(page);
      }

      @Override
      public Principal principal(PrincipalRef ref) {
        return store.findPrincipal(ref).orElseThrow(() -> new NotFoundException(
            (ref.type() == PrincipalType.USER ? "user " : "service account ") + ref + " does not exist"));
      }

      @Override
      public Page<Principal> principals(String accountId, PrincipalType type, PageRequest page) {
        return store.listPrincipals(accountId, type, page);
      }

      @Override
      public ApiKey apiKey(ApiKeyRef ref) {
        return store.findApiKey(ref).orElseThrow(() -> new NotFoundException("API key " + ref + " does not exist"));
      }

      @Override
      public Page<ApiKey> apiKeys(PrincipalRef owner, PageRequest page) {
        principal(owner);
        return store.listApiKeys(owner, page);
      }

      @Override
      public Token token(TokenRef ref) {
        return store.findToken(ref).map(TokenRecord::token)
            .orElseThrow(() -> new NotFoundException("token " + ref + " does not exist"));
      }

      @Override
      public Page<Token> tokens(ApiKeyRef key, PageRequest page) {
        apiKey(key);
        return store.listTokens(key, page).map(TokenRecord::token);
      }

      @Override
      public Page<Token> tokensExpiringBetween(Instant from, Instant to, PageRequest page) {
        return store.expiringTokenQuery()
            .orElseThrow(() -> new UnsupportedByStoreException("the token store does not offer the expiring-tokens query"))
            .listTokensExpiringBetween(from, to, page).map(TokenRecord::token);
      }
    };
  }
}
