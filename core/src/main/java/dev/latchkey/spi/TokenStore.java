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
import java.util.Optional;

/**
 * Persistence for accounts, principals, API keys and tokens: a required core that every store
 * implements, and four optional capabilities that a store offers if it can. Implementations must be
 * thread-safe. Nothing here assumes a relational database: a key-value store (Redis, DynamoDB) can
 * offer the core with conditional writes and multi-key transactions.
 *
 * <h2>The required core</h2>
 *
 * The abstract methods: what issuing, verifying, rotating, revoking, deleting and listing need, plus
 * the pepper key-check record. Rules every implementation follows (the {@code latchkey-store-tck}
 * contract tests check them):
 *
 * <ul>
 *   <li>Inserts throw {@link dev.latchkey.ConflictException} for a duplicate identifier (per parent)
 *       and {@link dev.latchkey.NotFoundException} when the parent does not exist. The limits passed
 *       to {@link #insertApiKey} and {@link #insertToken} are enforced by the insert itself,
 *       atomically: two concurrent inserts under one parent must not both pass the count.
 *   <li>Updates, and the deletion of a principal, are compare-and-set: they apply only if the stored
 *       version equals {@code expectedVersion} (for an update, {@code updated.version()} must be
 *       {@code expectedVersion + 1}). They report {@code false} or empty when the entity is missing or
 *       was changed concurrently; of two concurrent calls from the same version exactly one succeeds.
 *       (A key-value store: a conditional write on the version attribute.)
 *   <li>Deletes cascade (account &rarr; principals &rarr; keys &rarr; tokens) and return what they
 *       removed, or empty if the entity did not exist.
 *   <li>Every call either fully happens or leaves no trace. Failures of the underlying storage are
 *       reported as {@link dev.latchkey.StoreException} naming the operation.
 *   <li>Listings are ordered by identifier and paginated by key: the cursor is opaque to callers.
 *   <li>{@link #findTokenByLookupId} is a point read by an exact, case-sensitive key: it is the only
 *       call on the verification path (on a cache miss).
 *   <li>Nothing is stored that contains a token secret: only {@link CredentialHash}es.
 * </ul>
 *
 * <h2>Optional capabilities</h2>
 *
 * Each is discovered through a method that returns it, or empty (the default). Latchkey asks when it
 * is built and when a management call needs one; the answer must not change over the store's life.
 *
 * <ul>
 *   <li>{@link #changeFeed()}: a numbered log of changes, read by every node. Buys cross-node
 *       invalidation within the staleness bound while cache entries live up to {@code
 *       maxCacheEntryAge}. Without it Latchkey warns at start and re-reads every cached record after
 *       the staleness bound, so the bound still holds, at the price of more store reads.
 *   <li>{@link #expiringTokenQuery()}: tokens by expiry across accounts. Without it {@code
 *       TokenManager.listTokensExpiringBetween} throws {@link
 *       dev.latchkey.UnsupportedByStoreException}.
 *   <li>{@link #hashUsageQuery()}: counts of hashes per pepper version. Buys the start-up refusal when
 *       the keyset lacks a pepper version stored hashes use, and {@code TokenManager.hashUsage}.
 *       Without it that check is skipped with a warning and {@code hashUsage} throws {@link
 *       dev.latchkey.UnsupportedByStoreException}.
 *   <li>{@link #lastUsedSink()}: persisted last-used times. Without it nothing is noted on the
 *       verification path and tokens report no last use.
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

  /**
   * Deletes the principal, its keys and their tokens, if the stored principal's version is {@code
   * expectedVersion}: the version the caller's access decision was made on, so that a delete cannot
   * go through against a principal changed since (say, promoted beyond what the deleting actor
   * covers). Empty if the principal does not exist or has another version; then nothing is deleted.
   */
  Optional<Removal> deletePrincipal(PrincipalRef ref, long expectedVersion);

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
   * maintained by the {@link #lastUsedSink() last-used sink} only). Appends a {@link
   * Change.Type#TOKEN} change to the {@link #changeFeed() change feed} only if {@link
   * ChangeFeed#affectsVerification(TokenRecord, TokenRecord)} holds for the stored record and {@code
   * updated}.
   */
  boolean updateToken(long expectedVersion, TokenRecord updated);

  Optional<Removal> deleteToken(TokenRef ref);

  Page<TokenRecord> listTokens(ApiKeyRef key, PageRequest page);

  // ---- pepper key-check values

  /**
   * Records the key-check value of a pepper version if none is recorded yet, and returns the value
   * recorded afterwards: {@code check} if it was added, otherwise the one already there (which the
   * caller compares). Latchkey calls it for every version of its keyset when it is built, and
   * refuses to start if a version comes back with another value: that node was given a different
   * pepper under a version number the store already knows, and every token hashed under it would
   * fail. A key-check value is an HMAC of a constant under the pepper; it reveals nothing about the
   * pepper. (A key-value store: a put-if-absent.)
   */
  String addPepperCheck(int pepperVersion, String check);

  // ---- optional capabilities

  /**
   * The store's change feed, if it has one. Stores shared by several nodes should: without one, a
   * node re-reads every cached record after the staleness bound. Deletes append one change per
   * token and principal they remove (see {@link ChangeFeed} for the whole rule).
   */
  default Optional<ChangeFeed> changeFeed() {
    return Optional.empty();
  }

  /** The expiring-tokens query, if the store offers it (see {@link ExpiringTokenQuery}). */
  default Optional<ExpiringTokenQuery> expiringTokenQuery() {
    return Optional.empty();
  }

  /** Hash-usage statistics, if the store offers them (see {@link HashUsageQuery}). */
  default Optional<HashUsageQuery> hashUsageQuery() {
    return Optional.empty();
  }

  /** The last-used sink, if the store records last use (see {@link LastUsedSink}). */
  default Optional<LastUsedSink> lastUsedSink() {
    return Optional.empty();
  }
}
