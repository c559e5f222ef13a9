package dev.latchkey.spi;

import dev.latchkey.Principal;
import dev.latchkey.Token;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A store's numbered log of the changes that can alter a verification outcome, read by every node
 * to drop what its cache holds about them. The store appends to it in the same transaction as the
 * change itself.
 *
 * <p>Contract (checked by the store TCK):
 *
 * <ul>
 *   <li>Sequences start at 1 and have no gaps; a reader never sees change {@code n + 1} before
 *       change {@code n} has become visible (commit order equals sequence order). A call that fails,
 *       or changes nothing, appends nothing and uses up no number.
 *   <li>A {@link Change.Type#TOKEN} change MUST be appended for every token deleted, directly or by
 *       the deletion of its key, principal or account, and for every token update for which {@link
 *       #affectsVerification(TokenRecord, TokenRecord)} is true (revocation, rotation, re-hash,
 *       expiry or grace-period change).
 *   <li>A {@link Change.Type#PRINCIPAL} change MUST be appended for every principal deleted,
 *       directly or by the deletion of its account, and for every principal update for which {@link
 *       #affectsVerification(Principal, Principal)} is true (enabled, disabled, roles, permissions
 *       or scope changed).
 *   <li>Nothing else MUST be appended: not for inserts, not for updates that change only what a
 *       verifier does not read (names, descriptions, tags, any API-key edit), not for last-used
 *       times ({@link LastUsedSink}). The feed is kept for a retention period and read by every node,
 *       so it must not grow with edits that cannot change an outcome.
 *   <li>Each call appends exactly one change per token and per principal it deletes or changes as
 *       above; the changes of one cascading delete may come in any order.
 * </ul>
 *
 * <p>A store decides by comparing the stored record with the update, under the same lock or
 * transaction that applies the update, with the two {@code affectsVerification} methods. Callers
 * say nothing: a new kind of update (such as the background hash upgrade) cannot forget to announce
 * itself.
 */
public interface ChangeFeed {
  /** The sequence of the newest change, or 0 if there has never been one. */
  long latestSequence();

  /**
   * Up to {@code limit} changes with a sequence greater than {@code after}, in ascending order. A
   * store may return fewer than {@code limit} even when more exist (for example to cap one read);
   * readers read until the result is empty. If the changes right after {@code after} were pruned,
   * the first returned sequence is greater than {@code after + 1}; readers treat that as
   * "everything may have changed".
   */
  List<Change> changesSince(long after, int limit);

  /**
   * Deletes the oldest changes, in sequence order, up to (not including) the first one recorded at
   * or after {@code cutoff}, and never the newest one; returns how many were deleted.
   */
  int pruneBefore(Instant cutoff);

  /**
   * Whether updating a stored token from {@code before} to {@code after} changes anything a
   * verifier reads: the status, the expiry, the current hash (a rotation or a hash upgrade), the
   * previous hash or the end of its grace period. Compared exactly (instants to the nanosecond).
   * Name, description, tags, creation and rotation times and last use are not read by a verifier.
   */
  static boolean affectsVerification(TokenRecord before, TokenRecord after) {
    Token b = before.token();
    Token a = after.token();
    return b.status() != a.status()
        || !Objects.equals(b.expiresAt(), a.expiresAt())
        || !before.current().equals(after.current())
        || !Objects.equals(before.previous(), after.previous())
        || !Objects.equals(b.previousValidUntil(), a.previousValidUntil());
  }

  /**
   * Whether updating a stored principal from {@code before} to {@code after} changes anything a
   * verifier reads: whether it is enabled, its roles, its permissions or its scope (a verified token
   * reports all four). Name, description and creation time are not read by a verifier.
   */
  static boolean affectsVerification(Principal before, Principal after) {
    return before.enabled() != after.enabled()
        || !before.roles().equals(after.roles())
        || !before.permissions().equals(after.permissions())
        || !before.scope().equals(after.scope());
  }
}
