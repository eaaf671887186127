package dev.mux.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.mux.docker.DockerSessionException.Reason;

/** Turns docker-java failures into {@link DockerSessionException}s that say what to do. */
final class Failures {
  private Failures() {}

  static DockerSessionException sessionMissing(String session, String host) {
    return new DockerSessionException(Reason.SESSION_MISSING, "session \"" + session + "\": no container "
        + SessionLabels.containerName(session) + " on the Docker engine at " + host
        + " (it was deleted, or never created; list the sessions to see which exist)");
  }

  /**
   * The same failure with {@code secrets} masked in its message (an engine error may quote the
   * request). The cause is dropped when the message changed, since it would quote them too.
   */
  static DockerSessionException scrub(DockerSessionException e, java.util.Collection<String> secrets) {
    String message = e.getMessage();
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        message = message.replace(secret, "****");
      }
    }
    return message.equals(e.getMessage()) ? e : new DockerSessionException(e.reason(), message);
  }

  static DockerSessionException translate(RuntimeException e, String session, String action, String host) {
    if (e instanceof DockerSessionException known) {
      return known;
    }
    if (e instanceof NotFoundException) {
      return sessionMissing(session, host);
    }
    if (e instanceof DockerException docker) {
      return new DockerSessionException(Reason.ENGINE_ERROR, "session \"" + session + "\": " + action
          + " failed on the Docker engine at " + host + ": " + docker.getMessage().trim(), e);
    }
    return new DockerSessionException(Reason.ENGINE_UNREACHABLE, "session \"" + session + "\": " + action
        + " failed talking to the Docker engine at " + host + ": " + DockerEngine.describe(e)
        + ". Check that the engine is still running.", e);
  }
}
