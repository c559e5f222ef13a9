package dev.latchkey;

/** Every mutation Latchkey performs. */
public enum AuditAction {
  ACCOUNT_CREATED,
  ACCOUNT_DELETED,
  USER_CREATED,
  SERVICE_ACCOUNT_CREATED,
  PRINCIPAL_UPDATED,
  PRINCIPAL_ENABLED,
  PRINCIPAL_DISABLED,
  PRINCIPAL_DELETED,
  API_KEY_CREATED,
  API_KEY_UPDATED,
  /** An API key's restriction was edited to allow something it did not (an edit that only narrows is API_KEY_UPDATED). */
  API_KEY_RESTRICTION_WIDENED,
  API_KEY_DELETED,
  TOKEN_ISSUED,
  TOKEN_IMPORTED,
  TOKEN_UPDATED,
  /** A token's restriction was edited to allow something it did not (an edit that only narrows is TOKEN_UPDATED). */
  TOKEN_RESTRICTION_WIDENED,
  TOKEN_ROTATED,
  TOKEN_REVOKED,
  TOKEN_DELETED,
  /** A credential hash was upgraded to the primary scheme and pepper after a successful verification. */
  TOKEN_REHASHED
}
