package dev.latchkey.spring.boot;

import dev.latchkey.ConfigurationException;

/**
 * The pepper keyset is missing or malformed. The message names the property to set and how to make
 * a value; it never contains key material. Spring Boot reports it through {@link
 * InvalidPeppersFailureAnalyzer}.
 */
public class InvalidPeppersException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  static final String ACTION = "Set latchkey.peppers (or the environment variable LATCHKEY_PEPPERS) to a pepper"
      + " keyset, or point latchkey.peppers-file at a file holding one, or name an environment variable holding"
      + " one in latchkey.peppers-env. Generate a keyset with the Latchkey CLI: `latchkey peppers generate`"
      + " (java -jar latchkey.jar peppers generate), and keep it in your secret store, never in the database"
      + " or in source control.";

  InvalidPeppersException(String problem) {
    super(problem + ". " + ACTION);
  }

  InvalidPeppersException(String problem, Throwable cause) {
    super(problem + ". " + ACTION, cause);
  }
}
