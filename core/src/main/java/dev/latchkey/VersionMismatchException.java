package dev.latchkey;

/**
 * The entity is not at the version the caller said it expected (an {@code expectedVersion} argument,
 * {@link Rotation#ifVersion}): it was changed since the caller read it. Nothing was changed by the
 * failing call. A {@link ConflictException}, so code that handles conflicts in general keeps doing
 * so; an HTTP layer answers it with 412 (an {@code If-Match} that no longer holds).
 */
public class VersionMismatchException extends ConflictException {
  private static final long serialVersionUID = 1L;

  public VersionMismatchException(String message) {
    super(message);
  }
}
