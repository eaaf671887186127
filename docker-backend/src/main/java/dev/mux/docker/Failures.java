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
