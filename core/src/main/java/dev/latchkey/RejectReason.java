package dev.latchkey;

/** Why a token was rejected. For internal logs and metrics only; clients see one uniform answer. */
public enum RejectReason {
  /** Null, wrong length, wrong shape or alphabet, wrong prefix or kind, or a bad checksum. No cache or store was touched. */
  MALFORMED,
  /** Well-formed, but no token has this lookup id (or its kind does not match its owner). */
  UNKNOWN,
  /** The lookup id exists but the secret does not match (also: an old secret past its grace period). */
  BAD_SECRET,
  /** The token's expiry is at or before now. */
  EXPIRED,
  /** The token was revoked. */
  REVOKED,
  /** The owning principal is disabled or deleted. */
  DISABLED,
  /** The store could not be read; the request fails closed. */
  STORE_ERROR
}
