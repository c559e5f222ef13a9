package dev.latchkey;

/** An argument of a management call or builder was rejected; nothing was changed. */
public class InvalidArgumentException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message) {
    super(message);
  }
}
