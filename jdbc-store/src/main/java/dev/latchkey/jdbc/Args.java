package dev.latchkey.jdbc;

import dev.latchkey.InvalidArgumentException;

/**
 * Checks of the arguments the store's parts receive. Valid domain values are validated by their own
 * types; these cover nulls and the identifiers that arrive as plain strings, which are only ever
 * bound as parameters, so the only thing refused outright is what the database cannot hold.
 */
final class Args {
  static final int MAX_LOOKUP_ID_LENGTH = 128;

  private Args() {}

  static <T> T notNull(String what, T value) {
    if (value == null) {
      throw new InvalidArgumentException(what + " is required");
    }
    return value;
  }

  /**
   * Whether an identifier argument can match a row. Valid identifiers are validated by the domain
   * types; anything else is still only a bound parameter, except NUL, which PostgreSQL cannot take.
   */
  static boolean isIdentifier(String value) {
    if (value == null) {
      throw new InvalidArgumentException("identifier is required");
    }
    return !value.isEmpty() && value.length() <= 512 && value.indexOf('\0') < 0;
  }

  /** Lookup ids are generated (base62); anything longer than the column or with control characters cannot exist. */
  static boolean isLookupId(String lookupId) {
    if (lookupId == null || lookupId.isEmpty() || lookupId.length() > MAX_LOOKUP_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < lookupId.length(); i++) {
      if (Character.isISOControl(lookupId.charAt(i)) || Character.isSurrogate(lookupId.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static void checkLookupId(String lookupId) {
    if (!isLookupId(lookupId)) {
      throw new InvalidArgumentException("a token's lookup id must be 1 to " + MAX_LOOKUP_ID_LENGTH
          + " characters without control characters");
    }
  }

  static void checkNextVersion(long expectedVersion, long newVersion) {
    if (newVersion != expectedVersion + 1) {
      throw new InvalidArgumentException("an update must raise the version by exactly one");
    }
  }
}
