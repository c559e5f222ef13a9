package dev.latchkey;

/** The call would exceed a configured {@link Limits limit}; nothing was changed. */
public class LimitExceededException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public LimitExceededException(String message) {
    super(message);
  }
}
