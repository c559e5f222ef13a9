package dev.latchkey.cli;

/**
 * A command line that cannot be carried out as given (a missing pepper keyset, an existing output
 * file, conflicting options). Exit code 2. The message names the problem and the fix.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
