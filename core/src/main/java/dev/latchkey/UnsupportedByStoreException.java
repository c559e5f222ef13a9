package dev.latchkey;

/**
 * The call needs an optional capability of the {@link dev.latchkey.spi.TokenStore} (such as the
 * expiring-tokens query or hash-usage statistics) that the configured store does not offer. The
 * message names the capability; the remedy is a store that offers it.
 */
public class UnsupportedByStoreException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public UnsupportedByStoreException(String message) {
    super(message);
  }
}
