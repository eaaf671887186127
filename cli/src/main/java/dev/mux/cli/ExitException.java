package dev.mux.cli;

/**
 * Ends a command with an exit status and one line for the user. Thrown from deep code; {@link Mux}
 * maps it to the status and prints the message (never a stack trace).
 */
public final class ExitException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** A failure ({@link ExitCodes#FAILURE}) explained by {@code message}. */
  public ExitException(String message) {
    this(ExitCodes.FAILURE, message, null);
  }

  /** Ends with {@code status}, explained by {@code message}. */
  public ExitException(int status, String message) {
    this(status, message, null);
  }

  /** Ends with {@code status}, explained by {@code message}, keeping {@code cause} for debugging. */
  public ExitException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The process exit status. */
  public int status() {
    return status;
  }
}
