package dev.latchkey;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The server-side HMAC keys ("peppers") that stored token hashes are keyed with. One version is
 * primary and hashes every new or rotated secret; the others still verify, and a token that
 * verifies under a non-primary pepper is re-hashed under the primary (upgrade on use). Peppers never
 * go into the store: losing the database alone does not let anyone confirm a guessed token.
 *
 * <p>Text form, for environment variables and files ({@link #parse}): entries {@code
 * <version>:<base64 key>} separated by commas or whitespace; the primary is the highest version
 * unless one entry is marked {@code <version>*:<key>}. Keys are 32 to 64 bytes. Versions are 1 to
 * 65535.
 *
 * <p>Instances are immutable. {@link #toString()} shows versions only, never key material.
 */
public final class PepperKeyset {
  static final int MIN_KEY_BYTES = 32;
  static final int MAX_KEY_BYTES = 64;
  static final int MAX_VERSION = 65535;

  private final SortedMap<Integer, byte[]> keys;
  private final int primary;

  private PepperKeyset(SortedMap<Integer, byte[]> keys, int primary) {
    this.keys = keys;
    this.primary = primary;
  }

  /** One fresh 32-byte pepper, version 1, from {@code random}. For tests, demos and first setup. */
  public static PepperKeyset generate(SecureRandom random) {
    byte[] key = new byte[MIN_KEY_BYTES];
    random.nextBytes(key);
    return builder().add(1, key).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Parses the text form described in the class comment. */
  public static PepperKeyset parse(@Nullable String spec) {
    if (spec == null || spec.isBlank()) {
      throw new ConfigurationException("pepper keyset is empty: expected entries like 1:<base64 key>");
    }
    Builder b = builder();
    @Nullable Integer marked = null;
    int index = 0;
    for (String entry : spec.trim().split("[,\\s]+")) {
      index++;
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new ConfigurationException(
            "pepper entry " + index + " is not of the form <version>:<base64 key>");
      }
      String versionText = entry.substring(0, colon);
      boolean isPrimary = versionText.endsWith("*");
      if (isPrimary) {
        versionText = versionText.substring(0, versionText.length() - 1);
      }
      int version;
      try {
        version = Integer.parseInt(versionText);
      } catch (NumberFormatException e) {
        throw new ConfigurationException("pepper entry " + index + " has a version that is not a number");
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(entry.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("pepper version " + version + " is not valid base64");
      }
      b.add(version, key);
      Arrays.fill(key, (byte) 0);
      if (isPrimary) {
        if (marked != null) {
          throw new ConfigurationException("more than one pepper is marked primary with '*'");
        }
        marked = version;
      }
    }
    if (marked != null) {
      b.primary(marked);
    }
    return b.build();
  }

  /** The text form, which contains the keys: write it only to a protected secret store. */
  public String export() {
    StringBuilder sb = new StringBuilder();
    for (var e : keys.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey());
      if (e.getKey() == primary) {
        sb.append('*');
      }
      sb.append(':').append(Base64.getEncoder().encodeToString(e.getValue()));
    }
    return sb.toString();
  }

  public int primaryVersion() {
    return primary;
  }

  public SortedSet<Integer> versions() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(keys.keySet()));
  }

  public boolean hasVersion(int version) {
    return keys.containsKey(version);
  }

  /**
   * A copy of one key's bytes, for Latchkey's hashing code, which builds its {@link
   * javax.crypto.Mac} with it and then zeroes the copy. Only that code holds a {@link PepperAccess};
   * to store a keyset, {@link #export()} it.
   */
  public byte[] keyMaterial(int version, PepperAccess access) {
    if (access != PepperAccess.LATCHKEY) {
      throw new ConfigurationException("pepper key material is read only by Latchkey's own hashing code");
    }
    byte[] key = keys.get(version);
    if (key == null) {
      throw new ConfigurationException("no pepper with version " + version);
    }
    return key.clone();
  }

  /** A keyset with {@code version} added as the new primary; this one is unchanged. */
  public PepperKeyset withPrimary(int version, byte[] key) {
    Builder b = builder();
    keys.forEach(b::add);
    return b.add(version, key).primary(version).build();
  }

  /** A keyset without {@code version}; the primary cannot be removed. */
  public PepperKeyset without(int version) {
    if (version == primary) {
      throw new ConfigurationException("cannot remove the primary pepper " + version + "; promote another first");
    }
    Builder b = builder();
    keys.forEach((v, k) -> {
      if (v != version) {
        b.add(v, k);
      }
    });
    return b.primary(primary).build();
  }

  @Override
  public String toString() {
    return "PepperKeyset[versions=" + keys.keySet() + ", primary=" + primary + "]";
  }

  /** Builds a keyset; the primary defaults to the highest version. */
  public static final class Builder {
    private final TreeMap<Integer, byte[]> keys = new TreeMap<>();
    private @Nullable Integer primary;

    private Builder() {}

    public Builder add(int version, byte @Nullable [] key) {
      if (version < 1 || version > MAX_VERSION) {
        throw new ConfigurationException("pepper versions must be 1 to " + MAX_VERSION + " (was " + version + ")");
      }
      if (key == null || key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
        throw new ConfigurationException(
            "pepper version " + version + " must be " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes");
      }
      if (keys.containsKey(version)) {
        throw new ConfigurationException("pepper version " + version + " was already added");
      }
      keys.put(version, key.clone());
      return this;
    }

    public Builder primary(int version) {
      this.primary = version;
      return this;
    }

    public PepperKeyset build() {
      if (keys.isEmpty()) {
        throw new ConfigurationException("a pepper keyset needs at least one pepper");
      }
      int p = primary == null ? keys.lastKey() : primary;
      if (!keys.containsKey(p)) {
        throw new ConfigurationException("primary pepper version " + p + " is not in the keyset");
      }
      return new PepperKeyset(Collections.unmodifiableSortedMap(new TreeMap<>(keys)), p);
    }
  }
}
