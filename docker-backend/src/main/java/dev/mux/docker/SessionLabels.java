package dev.mux.docker;

/** Label keys that carry a session's metadata on its container: Docker is the only store. */
final class SessionLabels {
  static final String SESSION = "mux.session";
  static final String MODE = "mux.mode";
  static final String IMAGE = "mux.image";
  static final String WORKSPACE = "mux.workspace";
  static final String CREATED = "mux.created";

  static final String CONTAINER_PREFIX = "mux-";

  private SessionLabels() {}

  static String containerName(String session) {
    return CONTAINER_PREFIX + session;
  }
}
