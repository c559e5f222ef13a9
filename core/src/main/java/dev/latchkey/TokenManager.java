package dev.latchkey;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Management of accounts, principals, API keys and tokens. Every call takes the acting principal and
 * is checked by the {@link AccessPolicy} (see there for who may do what: by default nobody but the
 * system actor and account admins acts on a principal, or its keys and tokens, that holds more than
 * they do or lies outside their scope); every mutation emits one {@link AuditEvent}. Calls with bad
 * arguments throw a {@link LatchkeyException} and change nothing. A mutation that affects
 * verification (revoke, rotate, delete, disable, expiry edit) is visible to this node's verifier
 * before the call returns, and to other nodes sharing the store within the configured staleness
 * bound.
 *
 * <p><b>Expected versions.</b> Every edit, enable/disable, revoke and delete of a principal, API key
 * or token has an overload taking {@code expectedVersion}: the entity's {@code version()} as the
 * caller last read it, or null for no check. With a version, the call happens only if the stored
 * entity is still at exactly that version when it is written (the store's compare-and-set, so a
 * change by someone else between the caller's read and this call is detected, even when it races);
 * otherwise it throws {@link VersionMismatchException} and changes nothing. The overloads without
 * the argument are the same calls with null. {@link Rotation#ifVersion} does the same for rotation.
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

  default Principal editPrincipal(Actor actor, PrincipalRef ref, PrincipalEdit edit) {
    return editPrincipal(actor, ref, edit, null);
  }

  /** {@link #editPrincipal(Actor, PrincipalRef, PrincipalEdit)} only at {@code expectedVersion} (null: any). */
  Principal editPrincipal(Actor actor, PrincipalRef ref, PrincipalEdit edit, @Nullable Long expectedVersion);

  /** Disabling a principal stops all its tokens at once; enabling restores those still valid. */
  default Principal setEnabled(Actor actor, PrincipalRef ref, boolean enabled) {
    return setEnabled(actor, ref, enabled, null);
  }

  /**
   * {@link #setEnabled(Actor, PrincipalRef, boolean)} only at {@code expectedVersion} (null: any). A
   * principal already in the asked state is returned unchanged, if at that version.
   */
  Principal setEnabled(Actor actor, PrincipalRef ref, boolean enabled, @Nullable Long expectedVersion);

  /**
   * Deletes the principal with its keys and tokens. The delete applies only to the principal as the
   * access decision saw it: if it changed in between (say, it was given a role the actor lacks), the
   * call throws {@link ConflictException} and deletes nothing.
   */
  default void deletePrincipal(Actor actor, PrincipalRef ref) {
    deletePrincipal(actor, ref, null);
  }

  /** {@link #deletePrincipal(Actor, PrincipalRef)} only at {@code expectedVersion} (null: any). */
  void deletePrincipal(Actor actor, PrincipalRef ref, @Nullable Long expectedVersion);

  Page<Principal> listPrincipals(Actor actor, String accountId, PrincipalType type, PageRequest page);

  // ---- API keys

  ApiKey createApiKey(Actor actor, NewApiKey apiKey);

  ApiKey getApiKey(Actor actor, ApiKeyRef ref);

  default ApiKey editApiKey(Actor actor, ApiKeyRef ref, ApiKeyEdit edit) {
    return editApiKey(actor, ref, edit, null);
  }

  /** {@link #editApiKey(Actor, ApiKeyRef, ApiKeyEdit)} only at {@code expectedVersion} (null: any). */
  ApiKey editApiKey(Actor actor, ApiKeyRef ref, ApiKeyEdit edit, @Nullable Long expectedVersion);

  /** Deletes the key and all its tokens. */
  default void deleteApiKey(Actor actor, ApiKeyRef ref) {
    deleteApiKey(actor, ref, null);
  }

  /** {@link #deleteApiKey(Actor, ApiKeyRef)} only at {@code expectedVersion} (null: any). */
  void deleteApiKey(Actor actor, ApiKeyRef ref, @Nullable Long expectedVersion);

  Page<ApiKey> listApiKeys(Actor actor, PrincipalRef owner, PageRequest page);

  // ---- tokens

  /** Issues a token. The value is in the result and nowhere else, ever. */
  IssuedToken issueToken(Actor actor, NewToken token);

  Token getToken(Actor actor, TokenRef ref);

  default Token editToken(Actor actor, TokenRef ref, TokenEdit edit) {
    return editToken(actor, ref, edit, null);
  }

  /** {@link #editToken(Actor, TokenRef, TokenEdit)} only at {@code expectedVersion} (null: any). */
  Token editToken(Actor actor, TokenRef ref, TokenEdit edit, @Nullable Long expectedVersion);

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
  default Token revokeToken(Actor actor, TokenRef ref) {
    return revokeToken(actor, ref, null);
  }

  /**
   * {@link #revokeToken(Actor, TokenRef)} only at {@code expectedVersion} (null: any). A token
   * already revoked is returned unchanged, if at that version.
   */
  Token revokeToken(Actor actor, TokenRef ref, @Nullable Long expectedVersion);

  default void deleteToken(Actor actor, TokenRef ref) {
    deleteToken(actor, ref, null);
  }

  /** {@link #deleteToken(Actor, TokenRef)} only at {@code expectedVersion} (null: any). */
  void deleteToken(Actor actor, TokenRef ref, @Nullable Long expectedVersion);

  /** Token metadata only; never values. */
  Page<Token> listTokens(Actor actor, ApiKeyRef apiKey, PageRequest page);

  /**
   * Active tokens expiring in {@code [from, to)} across all accounts (system actor only). Needs a
   * store with the expiring-tokens query; otherwise throws {@link UnsupportedByStoreException}.
   */
  Page<Token> listTokensExpiringBetween(Actor actor, Instant from, Instant to, PageRequest page);

  /**
   * The expiry-notice thresholds already reached and notified for the token's current expiry
   * (largest first); empty for a token without expiry. Readable by whoever may read the token. Needs
   * a store that records expiry notices; otherwise throws {@link UnsupportedByStoreException}.
   */
  List<java.time.Duration> expiryNoticesSent(Actor actor, TokenRef ref);

  /**
   * Events of the audit trail that match {@code query}, newest first. The system actor reads every
   * account; a principal reads only its own account (a query without an account means its own),
   * the whole account if the {@link AccessPolicy} permits {@link AccessPolicy.Action#VIEW_AUDIT}
   * without a subject (by default: account admins), and otherwise only the events on a principal it
   * names in the query and may {@code VIEW_AUDIT} (by default: itself, or service accounts for
   * holders of a service-account permission). Needs a store that keeps an audit trail; otherwise
   * throws {@link UnsupportedByStoreException}.
   */
  Page<AuditEvent> listAuditEvents(Actor actor, AuditQuery query, PageRequest page);

  /**
   * How many stored hashes use each scheme and pepper version (system actor only). Needs a store
   * with hash-usage statistics; otherwise throws {@link UnsupportedByStoreException}.
   */
  List<HashUsage> hashUsage(Actor actor);
}
