package dev.latchkey;

/**
 * Root of the one unchecked exception hierarchy Latchkey throws from management calls, builders and
 * stores. Verification never throws: it returns a {@link VerificationResult}.
 *
 * <p>Messages say what happened and what to do. They never contain a token value, a secret or a
 * pepper; identifiers (which are validated to a safe alphabet) may appear.
 */
public class LatchkeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LatchkeyException(String message) {
    super(message);
  }

  public LatchkeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
