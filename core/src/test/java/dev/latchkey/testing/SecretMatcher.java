package dev.latchkey.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.PepperKeyset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds pieces of secrets in captured text: any substring of {@value #MIN_LENGTH} characters or more
 * of any registered secret, wherever it occurs. A secret printed whole, truncated, without its
 * checksum, split over a separator or cut anywhere else is found as long as {@value #MIN_LENGTH}
 * consecutive characters of it appear.
 *
 * <p>Every {@value #MIN_LENGTH}-character piece of every secret is indexed in a hash map, and a
 * window of that width slides over the text: one lookup per character of text. A substring of
 * {@value #MIN_LENGTH} or more characters of a secret always contains one of the indexed pieces.
 * Twelve base62 characters carry 71 bits, so a random match in logs is not a concern; shorter
 * pieces would start matching identifiers. A secret shorter than that is searched for whole.
 *
 * <p>A token value's prefix, kind and lookup id are public (Latchkey logs lookup ids), so {@link
 * #token} indexes only the pieces that contain at least one character of the secret part.
 */
public final class SecretMatcher {
  public static final int MIN_LENGTH = 12;

  /** Each indexed piece, with the secret it came from (for the failure message). */
  private final Map<String, String> pieces = new HashMap<>();
  private final Set<String> shortSecrets = new LinkedHashSet<>();
  private int secrets;

  /** A secret all of whose characters are secret: an extracted secret, a pepper, a digest. */
  public SecretMatcher secret(String secret) {
    return index(secret, 0);
  }

  /** A token value: {@code <prefix>_<kind>_<id>_} is public, the secret and checksum after the last {@code _} are not. */
  public SecretMatcher token(String value) {
    return index(value, value.lastIndexOf('_') + 1);
  }

  /**
   * A string whose characters from {@code secretStart} on are secret, the rest public: a legacy
   * dotted token, for example.
   */
  public SecretMatcher token(String value, int secretStart) {
    return index(value, secretStart);
  }

  /** A pepper keyset: its text form, and each key in base64 and base64url. */
  public SecretMatcher peppers(PepperKeyset keyset) {
    String export = keyset.export();
    secret(export);
    for (String entry : export.split(",")) {
      pepperKey(Base64.getDecoder().decode(entry.substring(entry.indexOf(':') + 1)));
    }
    return this;
  }

  /** One pepper key, in base64 and base64url. */
  public SecretMatcher pepperKey(byte[] key) {
    secret(Base64.getEncoder().encodeToString(key));
    return secret(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
  }

  /** Everything another matcher has. */
  public SecretMatcher addAll(SecretMatcher other) {
    other.pieces.forEach(pieces::putIfAbsent);
    shortSecrets.addAll(other.shortSecrets);
    secrets += other.secrets;
    return this;
  }

  public int size() {
    return secrets;
  }

  private SecretMatcher index(String value, int secretStart) {
    if (value == null || secretStart < 0 || secretStart >= value.length()) {
      throw new IllegalArgumentException("nothing secret in it");
    }
    secrets++;
    if (value.length() < MIN_LENGTH) {
      shortSecrets.add(value);
      return this;
    }
    // a piece must include a secret character: it may start up to MIN_LENGTH - 1 characters before
    for (int i = Math.max(0, secretStart - MIN_LENGTH + 1); i + MIN_LENGTH <= value.length(); i++) {
      pieces.putIfAbsent(value.substring(i, i + MIN_LENGTH), value);
    }
    return this;
  }

  /** What was found in {@code text}: each matching piece, the secret it belongs to, and where. */
  public List<String> findIn(String text) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i + MIN_LENGTH <= text.length(); i++) {
      String owner = pieces.get(text.substring(i, i + MIN_LENGTH));
      if (owner != null) {
        found.add("'" + text.substring(i, i + MIN_LENGTH) + "' (of secret '" + owner + "') in: " + excerpt(text, i));
        i += MIN_LENGTH - 1; // one report per leaked stretch is enough
      }
    }
    for (String s : shortSecrets) {
      int at = text.indexOf(s);
      if (at >= 0) {
        found.add("'" + s + "' in: " + excerpt(text, at));
      }
    }
    return found;
  }

  /** Fails, naming each piece found and the text around it, if any text contains a piece of a secret. */
  public void assertNoneIn(String where, List<String> texts) {
    assertThat(secrets).as("secrets registered").isPositive();
    List<String> found = new ArrayList<>();
    long characters = 0;
    for (String t : texts) {
      characters += t.length();
      found.addAll(findIn(t));
    }
    assertThat(found).as("pieces of secrets (>= %d characters) found in %s (%d texts, %d characters)",
        MIN_LENGTH, where, texts.size(), characters).isEmpty();
  }

  private static String excerpt(String text, int at) {
    int from = Math.max(0, at - 60);
    int to = Math.min(text.length(), at + MIN_LENGTH + 60);
    return (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "");
  }
}
