package dev.latchkey;

/** The acting principal may not perform the call under the configured {@link AccessPolicy}. */
public class PermissionDeniedException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(message);
  }
}
