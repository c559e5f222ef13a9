package dev.latchkey;

/**
 * A token's full value: the only object that ever holds it. It is handed out once, at issue or
 * rotation, and Latchkey keeps no copy. {@link #toString()} is redacted and equality is identity, so
 * the value cannot leak through logging, string concatenation or collections by accident; call
 * {@link #reveal()} to read it deliberately.
 */
public final class TokenValue {
  private final String value;

  TokenValue(String value) {
    this.value = value;
  }

  /** Wraps a value, e.g. one read from configuration, so it is not printed by accident. */
  public static TokenValue of(String value) {
    if (value == null) {
      throw new InvalidArgumentException("token value is required");
    }
    return new TokenValue(value);
  }

  /** The token, to show to the user once or to send as a bearer credential. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "TokenValue[redacted]";
  }
}
