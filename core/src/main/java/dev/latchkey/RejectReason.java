package dev.latchkey;

/**
 * Why a token was rejected. For internal logs and metrics only; clients see one uniform answer. New
 * reasons may be added: switch over them with a default branch.
 */
public enum RejectReason {
  /** Null, wrong length, wrong shape or alphabet, wrong prefix or kind, or a bad checksum. No cache or store was touched. */
  MALFORMED,
  /** Well-formed, but no token has this lookup id (or its kind does not match its owner). */
  UNKNOWN,
  /**
   * The lookup id exists but the secret does not match (also: an old secret past its grace period),
   * whatever the token's state: the secret is checked before status, expiry and principal.
   */
  BAD_SECRET,
  /** The secret matched, but the token's expiry is at or before now. */
  EXPIRED,
  /** The secret matched, but the token was revoked. */
  REVOKED,
  /** The secret matched, but the owning principal is disabled or deleted. */
  DISABLED,
  /** The store could not be read; the request fails closed. */
  STORE_ERROR,
  /**
   * An imported legacy token's bcrypt check did not run: no bcrypt permit freed within the bounded
   * wait ({@code maxConcurrentBcrypt}). Nothing is known about the secret; trying again may succeed.
   */
  BUSY,
  /**
   * An imported legacy token's bcrypt check did not run: checks of this lookup id failed repeatedly
   * and it is in a short backoff. Nothing is known about the secret; trying again later may succeed.
   */
  THROTTLED,
  /**
   * The secret matched, but the token or its API key has a {@link RateLimit} and this node cannot
   * enforce it: Bucket4j is not on its class path. Fails closed (a limit set through another node or
   * the CLI must not be silently ignored); add {@code com.bucket4j:bucket4j_jdk17-core}.
   */
  RATE_LIMIT_UNAVAILABLE,

  /**
   * The secret matched and the token is live, but its key or the token itself has an address
   * allow-list and the request came from outside it, or with no client address at all (plain
   * {@link TokenVerifier#verify(CharSequence)}).
   */
  ADDRESS_NOT_ALLOWED
}
