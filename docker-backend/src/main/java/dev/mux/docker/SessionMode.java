package dev.mux.docker;

/** How an agent session runs: with a terminal for a person, or headless printing its answer. */
public enum SessionMode {
  /** A terminal (TTY) with stdin open: attach to it, detach with Ctrl-P Ctrl-Q, reattach later. */
  INTERACTIVE,
  /** No terminal, stdin closed: the agent prints its answer and exits; stdout and stderr stay apart. */
  PRINT;

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static SessionMode fromLabel(String label) {
    try {
      return label == null ? INTERACTIVE : valueOf(label.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return INTERACTIVE;
    }
  }
}
