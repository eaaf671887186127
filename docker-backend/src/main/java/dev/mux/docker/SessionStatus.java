package dev.mux.docker;

/**
 * What Docker says about a session's container right now.
 *
 * <p>{@link Created} (never started), {@link Running}, {@link Exited} with the agent's exit code,
 * or {@link Missing} when no container with the session's name exists (deleted, or never created).
 */
public sealed interface SessionStatus {

  /** The container exists but was never started. */
  record Created() implements SessionStatus {}

  /** The container is running (or paused, or restarting). */
  record Running() implements SessionStatus {}

  /** The agent finished with {@code exitCode}. */
  record Exited(int exitCode) implements SessionStatus {}

  /** No container for this session. */
  record Missing() implements SessionStatus {}

  /** Maps Docker's state string ({@code created}, {@code running}, {@code exited}, …). */
  static SessionStatus of(String dockerState, int exitCode) {
    if (dockerState == null) {
      return new Missing();
    }
    switch (dockerState) {
      case "created":
        return new Created();
      case "running":
      case "paused":
      case "restarting":
        return new Running();
      default:
        return new Exited(exitCode);
    }
  }
}
