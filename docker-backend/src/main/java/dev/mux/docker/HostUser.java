package dev.mux.docker;

/** The host user's numeric {@code uid:gid}, so files the agent writes in the workspace stay the user's. */
final class HostUser {
  private HostUser() {}

  /** {@code uid:gid}, or null where the JDK cannot tell (not a Unix host). */
  static String uidGid() {
    try {
      com.sun.security.auth.module.UnixSystem unix = new com.sun.security.auth.module.UnixSystem();
      return unix.getUid() + ":" + unix.getGid();
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }
}
