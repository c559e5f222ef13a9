package dev.latchkey;

/** The account, principal, API key or token named by a call does not exist; nothing was changed. */
public class NotFoundException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
