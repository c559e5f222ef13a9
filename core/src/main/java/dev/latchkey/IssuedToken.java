package dev.latchkey;

/**
 * The result of issuing or rotating a token: its metadata and its value. This is the only time the
 * value is available; store it or show it now. {@link #toString()} omits the value.
 */
public record IssuedToken(Token token, TokenValue value) {
  public IssuedToken {
    if (token == null || value == null) {
      throw new InvalidArgumentException("token and value are required");
    }
  }

  public TokenRef ref() {
    return token.ref();
  }
}
