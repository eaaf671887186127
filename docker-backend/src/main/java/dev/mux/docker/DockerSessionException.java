package dev.mux.docker;

import static java.util.Objects.requireNonNull;

/**
 * A session operation failed for a reason the caller can act on. The message says what happened
 * and what to do; {@link #reason()} lets programs (like a CLI choosing an exit code) tell the cases
 * apart. Messages never contain a credential.
 */
public final class DockerSessionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Reason {
    /** No Docker engine answered; the message lists what was tried. */
    ENGINE_UNREACHABLE,
    /** The agent image is not on the engine; the message says how to build or pull it. */
    IMAGE_MISSING,
    /** A container with the session's name already exists. */
    NAME_TAKEN,
    /** The session's container does not exist (deleted, or never created). */
    SESSION_MISSING,
    /** The engine refused or failed the operation for another reason. */
    ENGINE_ERROR
  }

  private final Reason reason;

  DockerSessionException(Reason reason, String message) {
    this(reason, message, null);
  }

  DockerSessionException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = requireNonNull(reason, "reason");
  }

  /** Why the operation failed. */
  public Reason reason() {
    return reason;
  }
}
