package dev.latchkey;

/**
 * The call conflicts with the stored state: a duplicate identifier, or a concurrent change to the
 * same entity (for example two rotations of one token; exactly one of them succeeds). Nothing was
 * changed by the failing call; re-read and retry if that is what the caller wants.
 */
public class ConflictException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }
}
