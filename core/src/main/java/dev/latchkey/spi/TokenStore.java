package dev.latchkey.spi;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence for accounts, principals, API keys and tokens. Implementations must be thread-safe.
 *
 * <p>Rules every implementation follows (the {@code latchkey-store-tck} contract tests check them):
 *
 * <ul>
 *   <li>Inserts throw {@link dev.latchkey.ConflictException} for a duplicate identifier (per parent)
 *       and {@link dev.latchkey.NotFoundException} when the parent does not exist.
 *   <li>Updates are compare-and-set: {@code update*(expectedVersion, updated)} writes only if the
 *       stored version equals {@code expectedVersion}, and {@code updated.version()} must be {@code
 *       expectedVersion + 1}. They return {@code false} when the entity is missing or was changed
 *       concurrently; of two concurrent updates from the same version exactly one succeeds.
 *   <li>Deletes cascade (account &rarr; principals &rarr; keys &rarr; tokens) and return what they
 *       removed, or empty if the entity did not exist.
 *   <li>Every call either fully happens or leaves no trace. Failures of the underlying storage are
 *       reported as {@link dev.latchkey.StoreException} naming the operation.
 *   <li>Listings are ordered by identifier and paginated by key: the cursor is opaque to callers.
 *   <li>Nothing is stored that contains a token secret: only {@link CredentialHash}es.
 * </ul>
 */
public interface TokenStore {

  // ---- accounts

  void insertAccount(Account account);

  Optional<Account> findAccount(String accountId);

  Page<Account> listAccounts(PageRequest page);

  /** Deletes the account and everything in it. */
  Optional<Removal> deleteAccount(String accountId);

  // ---- principals

  /** The principal's account must exist. */
  void insertPrincipal(Principal principal);

  Optional<Principal> findPrincipal(PrincipalRef ref);

  /**
   * Compare-and-set update. Appends a {@link Change.Type#PRINCIPAL} change to the {@link
   * #changeFeed() change feed} only if {@link ChangeFeed#affectsVerification(Principal, Principal)}
   * holds for the stored principal and {@code updated}.
   */
  boolean updatePrincipal(long expectedVersion, Principal updated);

  /** Deletes the principal, its keys and their tokens. */
  Optional<Removal> deletePrincipal(PrincipalRef ref);

  Page<Principal> listPrincipals(String accountId, PrincipalType type, PageRequest page);

  // ---- API keys

  /**
   * Inserts a key; the owner must exist. Atomically refuses with {@link
   * dev.latchkey.LimitExceededException} when the owner already has {@code maxKeysPerOwner} keys.
   */
  void insertApiKey(ApiKey key, int maxKeysPerOwner);

  Optional<ApiKey> findApiKey(ApiKeyRef ref);

  /** Compare-and-set update. Never appends to the change feed: a verifier reads nothing from keys. */
  boolean updateApiKey(long expectedVersion, ApiKey updated);

  /** Deletes the key and all its tokens. */
  Optional<Removal> deleteApiKey(ApiKeyRef ref);

  Page<ApiKey> listApiKeys(PrincipalRef owner, PageRequest page);

  int countApiKeys(PrincipalRef owner);

  // ---- tokens

  /**
   * Inserts a token; its key must exist, and its identifier (per key) and lookup id (globally) must
   * be new. Atomically refuses with {@link dev.latchkey.LimitExceededException} when the key
   * already has {@code maxUsableTokensPerKey} tokens that are active and unexpired at {@code now}.
   */
  void insertToken(TokenRecord token, int maxUsableTokensPerKey, Instant now);

  Optional<TokenRecord> findToken(TokenRef ref);

  /**
   * The verification lookup: one point query by the token's public lookup id. The match is exact
   * and case-sensitive: lookup ids are base62, in which {@code a} and {@code A} are different
   * digits, so an id that differs from a stored one in the case of one letter finds nothing. (A
   * case-insensitive match would let a token with one letter's case changed stand in for another,
   * and keep verifying after the real one is revoked.)
   */
  Optional<TokenRecord> findTokenByLookupId(String lookupId);

  /**
   * Compare-and-set update. A token's lookup id never changes: an update with another lookup id is
   * an {@link dev.latchkey.InvalidArgumentException}. The stored last-used time is kept (it is
   * maintained by {@link #recordLastUsed} only). Appends a {@link Change.Type#TOKEN} change to the
   * {@link #changeFeed() change feed} only if {@link ChangeFeed#affectsVerification(TokenRecord,
   * TokenRecord)} holds for the stored record and {@code updated}.
   */
  boolean updateToken(long expectedVersion, TokenRecord updated);

  Optional<Removal> deleteToken(TokenRef ref);

  Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page);

  /** Tokens that are active and not expired at {@code now}. */
  int countUsableTokens(ApiKeyRef key, Instant now);

  /**
   * Active tokens with an expiry in {@code [from, to)}, ordered by expiry then lookup id, across all
   * accounts; for jobs that warn owners before their tokens expire.
   */
  Page<TokenRecord> listTokensExpiringBetween(Instant from, Instant to, PageRequest page);

  /**
   * Records last-used times by lookup id in one batch. A stored time only moves forward; unknown ids
   * are ignored; null keys or values are an {@link dev.latchkey.InvalidArgumentException}. Does not
   * change versions and does not append to the change feed.
   */
  void recordLastUsed(Map<String, Instant> lastUsedByLookupId);

  /** Counts of stored hashes (current and previous) per scheme and pepper version. */
  List<HashUsage> hashUsage();

  // ---- pepper key-check values

  /**
   * The key-check value recorded for each pepper version (see {@link #addPepperCheck}). Lets a node
   * detect, before it issues or verifies anything, that it was given a different pepper under a
   * version number the store already knows.
   */
  Map<Integer, String> pepperChecks();

  /**
   * Records the key-check value of a pepper version if none is recorded yet. Returns the value
   * recorded afterwards: {@code check} if it was added, otherwise the one already there (which the
   * caller compares). A key-check value is an HMAC of a constant under the pepper; it reveals
   * nothing about the pepper.
   */
  String addPepperCheck(int pepperVersion, String check);

  /**
   * The store's change feed, if it has one. Stores shared by several nodes should: without one, a
   * node learns of another node's revocations only when its cache entries age out. Deletes append
   * one change per token and principal they remove (see {@link ChangeFeed} for the whole rule).
   */
  default Optional<ChangeFeed> changeFeed() {
    return Optional.empty();
  }
}
