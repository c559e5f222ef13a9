package dev.latchkey.cli;

import dev.latchkey.ConfigurationException;
import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LatchkeyException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.PermissionDeniedException;
import java.io.UncheckedIOException;

/** The CLI's exit codes; the README's table lists the same. */
final class ExitCodes {
  static final int OK = 0;
  /** {@code tokens verify} rejected the token, or the named entity does not exist. */
  static final int REJECTED_OR_NOT_FOUND = 1;
  /** Bad command line or configuration; nothing was changed. */
  static final int USAGE = 2;
  /** The database failed (nothing partial was left behind), or a new secret could not be written to its file. */
  static final int STORE = 3;
  /** The acting principal ({@code --as}) may not do this under the access policy. */
  static final int PERMISSION_DENIED = 4;
  /** Conflicts with the stored state: the identifier exists, the owner is disabled, a concurrent change. */
  static final int CONFLICT = 5;
  /** A configured limit (keys per principal, tokens per key) would be exceeded. */
  static final int LIMIT_EXCEEDED = 6;
  /**
   * A failure neither the tool nor the library expects (any exception outside Latchkey's hierarchy): a
   * bug, not a database problem, so that scripts do not retry it as one.
   */
  static final int INTERNAL = 7;

  private ExitCodes() {}

  static int of(Throwable e) {
    if (e instanceof UsageException || e instanceof InvalidArgumentException || e instanceof ConfigurationException
        || e instanceof picocli.CommandLine.TypeConversionException) {
      return USAGE;
    }
    if (e instanceof NotFoundException) {
      return REJECTED_OR_NOT_FOUND;
    }
    if (e instanceof PermissionDeniedException) {
      return PERMISSION_DENIED;
    }
    if (e instanceof ConflictException) {
      return CONFLICT;
    }
    if (e instanceof LimitExceededException) {
      return LIMIT_EXCEEDED;
    }
    if (e instanceof LatchkeyException || e instanceof UncheckedIOException) {
      return STORE; // the rest of the hierarchy is StoreException
    }
    return INTERNAL;
  }
}
