package dev.latchkey;

import java.time.Instant;
import java.util.List;

/**
 * Management of accounts, principals, API keys and tokens. Every call takes the acting principal and
 * is checked by the {@link AccessPolicy} (see there for who may do what: by default nobody but the
 * system actor and account admins acts on a principal, or its keys and tokens, that holds more than
 * they do or lies outside their scope); every mutation emits one {@link AuditEvent}. Calls with bad
 * arguments throw a {@link LatchkeyException} and change nothing. A mutation that affects
 * verification (revoke, rotate, delete, disable, expiry edit) is visible to this node's verifier
 * before the call returns, and to other nodes sharing the store within the configured staleness
 * bound.
 */
public interface TokenManager {

  // ---- accounts (system actor only)

  Account createAccount(Actor actor, String accountId, String name);

  Account getAccount(Actor actor, String accountId);

  Page<Account> listAccounts(Actor actor, PageRequest page);

  /** Deletes the account with all its principals, keys and tokens. */
  void deleteAccount(Actor actor, String accountId);

  // ---- principals

  Principal createUser(Actor actor, NewUser user);

  /**
   * Under the standard policy: the Account Admin role, or the service-account management
   * permission together with every role and permission given to the new service account, at a
   * scope that contains its scope.
   */
  Principal createServiceAccount(Actor actor, NewServiceAccount serviceAccount);

  Principal getPrincipal(Actor actor, PrincipalRef ref);

  Principal editPrincipal(Actor actor, PrincipalRef ref, PrincipalEdit edit);

  /** Disabling a principal stops all its tokens at once; enabling restores those still valid. */
  Principal setEnabled(Actor actor, PrincipalRef ref, boolean enabled);

  /**
   * Deletes the principal with its keys and tokens. The delete applies only to the principal as the
   * access decision saw it: if it changed in between (say, it was given a role the actor lacks), the
   * call throws {@link ConflictException} and deletes nothing.
   */
  void deletePrincipal(Actor actor, PrincipalRef ref);

  Page<Principal> listPrincipals(Actor actor, String accountId, PrincipalType type, PageRequest page);

  // ---- API keys

  ApiKey createApiKey(Actor actor, NewApiKey apiKey);

  ApiKey getApiKey(Actor actor, ApiKeyRef ref);

  ApiKey editApiKey(Actor actor, ApiKeyRef ref, ApiKeyEdit edit);

  /** Deletes the key and all its tokens. */
  void deleteApiKey(Actor actor, ApiKeyRef ref);

  Page<ApiKey> listApiKeys(Actor actor, PrincipalRef owner, PageRequest page);

  // ---- tokens

  /** Issues a token. The value is in the result and nowhere else, ever. */
  IssuedToken issueToken(Actor actor, NewToken token);

  Token getToken(Actor actor, TokenRef ref);

  Token editToken(Actor actor, TokenRef ref, TokenEdit edit);

  /**
   * Gives the token a new secret under the same identifier and returns the new value (shown once).
   * Of two concurrent rotations of one token exactly one succeeds; the other gets a {@link
   * ConflictException}.
   */
  IssuedToken rotateToken(Actor actor, TokenRef ref, Rotation rotation);

  /**
   * Imports a token from another system that kept only a bcrypt hash of it. See {@link
   * LegacyToken}. Needs Bouncy Castle ({@code org.bouncycastle:bcprov-jdk18on}) on the class path.
   * Under the standard policy only the system actor and account admins may import (a personal
   * token: the system actor, or its own user if an account admin).
   */
  Token importToken(Actor actor, LegacyToken token);

  /** Marks the token revoked; it stays listed but never verifies again. */
  Token revokeToken(Actor actor, TokenRef ref);

  void deleteToken(Actor actor, TokenRef ref);

  /** Token metadata only; never values. */
  Page<Token> listTokens(Actor actor, ApiKeyRef apiKey, PageRequest page);

  /**
   * Active tokens expiring in {@code [from, to)} across all accounts (system actor only). Needs a
   * store with the expiring-tokens query; otherwise throws {@link UnsupportedByStoreException}.
   */
  Page<Token> listTokensExpiringBetween(Actor actor, Instant from, Instant to, PageRequest page);

  /**
   * How many stored hashes use each scheme and pepper version (system actor only). Needs a store
   * with hash-usage statistics; otherwise throws {@link UnsupportedByStoreException}.
   */
  List<HashUsage> hashUsage(Actor actor);
}
