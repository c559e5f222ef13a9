package dev.latchkey;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Argument validation shared by the public value types. Every failure is an {@link
 * InvalidArgumentException} whose message names the field and the rule; it never quotes free text
 * values back (they may be large or hostile), only identifiers that already passed their rules.
 *
 * <p>Package-private on purpose: the value types validate themselves here, without reaching into
 * {@code dev.latchkey.internal}; the implementation gets validated values by constructing them.
 */
final class Checks {
  static final int MAX_IDENTIFIER_LENGTH = 128;
  static final int MAX_NAME_LENGTH = 256;
  static final int MAX_DESCRIPTION_LENGTH = 1024;
  static final int MAX_TAGS = 32;
  static final int MAX_TAG_KEY_LENGTH = 128;
  static final int MAX_TAG_VALUE_LENGTH = 256;
  static final int MAX_GRANTS = 64;
  static final int MAX_GRANT_LENGTH = 128;
  /** A legacy account or token id: 1 to 64 of {@code [A-Za-z0-9_-]} (see {@link LegacyToken}). */
  static final int MAX_LEGACY_ID_LENGTH = 64;

  private Checks() {}

  /** Letters, digits and {@code _}, starting with a letter or {@code _}, 1 to 128 characters. */
  static String identifier(String field, @Nullable String value) {
    if (value == null) {
      throw new InvalidArgumentException(field + " is required");
    }
    int n = value.length();
    if (n == 0 || n > MAX_IDENTIFIER_LENGTH) {
      throw new InvalidArgumentException(
          field + " must be 1 to " + MAX_IDENTIFIER_LENGTH + " characters long (was " + n + ")");
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      if (!(letter || (digit && i > 0))) {
        throw new InvalidArgumentException(
            field
                + " may contain only ASCII letters, digits and '_', and must start with a letter or"
                + " '_' (offending character at position "
                + i
                + ")");
      }
    }
    return value;
  }

  /** A display name: not blank, at most 256 characters, no control characters. */
  static String name(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidArgumentException(field + " must not be blank");
    }
    return text(field, value, MAX_NAME_LENGTH, false);
  }

  /** A description: may be empty, at most 1024 characters, no control characters but newline and tab. */
  static String description(String field, @Nullable String value) {
    if (value == null) {
      return "";
    }
    return text(field, value, MAX_DESCRIPTION_LENGTH, true);
  }

  private static String text(String field, String value, int max, boolean allowLineBreaks) {
    int length = value.length();
    if (length > max) {
      throw new InvalidArgumentException(
          field + " must be at most " + max + " characters long (was " + length + ")");
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      boolean allowed = !Character.isISOControl(c) || (allowLineBreaks && (c == '\n' || c == '\t' || c == '\r'));
      if (!allowed) {
        throw new InvalidArgumentException(
            field + " must not contain control characters (found one at position " + i + ")");
      }
    }
    if (hasUnpairedSurrogate(value)) {
      throw new InvalidArgumentException(field + " must be valid Unicode text (unpaired surrogate)");
    }
    return value;
  }

  private static boolean hasUnpairedSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Tags: at most 32 entries, keys 1 to 128 characters, values at most 256; copied and ordered. */
  static Map<String, String> tags(@Nullable Map<String, String> tags) {
    if (tags == null || tags.isEmpty()) {
      return Map.of();
    }
    if (tags.size() > MAX_TAGS) {
      throw new InvalidArgumentException(
          "tags may have at most " + MAX_TAGS + " entries (had " + tags.size() + ")");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (key == null || key.isBlank()) {
        throw new InvalidArgumentException("tag keys must not be blank");
      }
      text("tag key", key, MAX_TAG_KEY_LENGTH, false);
      if (value == null) {
        throw new InvalidArgumentException("tag values must not be null (use \"\" for an empty value)");
      }
      text("tag value", value, MAX_TAG_VALUE_LENGTH, false);
      copy.put(key, value);
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Role and permission names: 1 to 128 characters from letters, digits and {@code _ . : -}; at
   * most 64 of them. Matching is exact: there are no wildcards.
   */
  static Set<String> grants(String field, @Nullable Set<String> grants) {
    if (grants == null || grants.isEmpty()) {
      return Set.of();
    }
    if (grants.size() > MAX_GRANTS) {
      throw new InvalidArgumentException(
          field + " may have at most " + MAX_GRANTS + " entries (had " + grants.size() + ")");
    }
    for (String g : grants) {
      if (g == null) {
        throw new InvalidArgumentException(field + " must not contain null");
      }
    }
    LinkedHashSet<String> copy = new LinkedHashSet<>();
    for (String g : new java.util.TreeSet<>(grants)) {
      copy.add(grant(field + " entries", g));
    }
    return Collections.unmodifiableSet(copy);
  }

  /**
   * One role or permission name: 1 to 128 characters from letters, digits and {@code _ . : -}. The
   * message starts with {@code what}, e.g. "permissions entries".
   */
  static String grant(String what, @Nullable String g) {
    if (g == null || g.isEmpty() || g.length() > MAX_GRANT_LENGTH) {
      throw new InvalidArgumentException(what + " must be 1 to " + MAX_GRANT_LENGTH + " characters long");
    }
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == ':'
              || c == '-';
      if (!ok) {
        throw new InvalidArgumentException(
            what + " may contain only letters, digits and _ . : - (position " + i + ")");
      }
    }
    return g;
  }

  /** True if every character is in {@code 0-9A-Za-z}. */
  static boolean isBase62(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  /** True for a legacy account or token id: 1 to 64 of {@code [A-Za-z0-9_-]}. */
  static boolean isLegacyId(@Nullable String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_LEGACY_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static <T> T notNull(String field, @Nullable T value) {
    if (value == null) {
      throw new InvalidArgumentException(field + " is required");
    }
    return value;
  }
}
