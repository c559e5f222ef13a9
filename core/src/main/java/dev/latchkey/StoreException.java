package dev.latchkey;

/**
 * The token store failed (database down, connection lost, statement failed). The message names the
 * operation and the reason; Latchkey logs it (with the SQLState of a {@code SQLException} cause), so
 * a store must keep it free of secrets, token values and hashes. A store guarantees that a failed
 * operation left no partial change behind.
 */
public class StoreException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
