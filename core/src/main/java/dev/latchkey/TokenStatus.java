package dev.latchkey;

/** Stored status of a token. Expiry is not a status: it is judged against the clock at use. */
public enum TokenStatus {
  ACTIVE,
  /** Revoked by a management call; kept for listings and audit, never verifies again. */
  REVOKED
}
