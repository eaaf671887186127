package dev.mux.rules;

/**
 * The configuration file (or a credential source) is invalid. The message names the file, the
 * location (key path, line and column when known) and what is expected; it never contains a
 * secret value.
 */
public class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error with a message naming the file and location. */
  public ConfigException(String message) {
    super(message);
  }

  /** An error with a cause whose message has already been checked to carry no secret. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
