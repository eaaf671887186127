package dev.mux.docker;

/** How an attachment ended: the caller detached (the agent keeps running), or the agent exited. */
public sealed interface AttachResult {

  /** The caller pressed Ctrl-P Ctrl-Q (or closed the attachment); the session is still running. */
  record Detached() implements AttachResult {}

  /** The agent exited with {@code exitCode}. */
  record Exited(int exitCode) implements AttachResult {}
}
