package dev.latchkey;

/** A builder or configuration value is invalid; raised eagerly, when the object is built. */
public class ConfigurationException extends LatchkeyException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
