package dev.mux.cli;

import dev.mux.docker.DockerSessionException;
import dev.mux.docker.DockerSessions;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code mux session delete N}: revokes the proxy credential, removes container and files. */
@Command(
    name = "delete",
    header = "Delete a session: remove its container and files, and revoke its proxy credential.")
final class SessionDeleteCommand extends NamedSessionCommand {

  @Override
  public Integer call() {
    StateFolder state = state().ensureExists();
    // Revoke first: even if Docker fails below, the credential no longer opens the proxy.
    ClientCredentials.open(state).revoke(name);
    try (DockerSessions sessions = openSessions(state)) {
      Optional<DockerSessionException> missing = Optional.empty();
      try {
        sessions.session(name).delete();
      } catch (DockerSessionException e) {
        if (e.reason() != DockerSessionException.Reason.SESSION_MISSING) {
          throw new ExitException(ExitCodes.FAILURE, e.getMessage() + " (its proxy credential is revoked)", e);
        }
        missing = Optional.of(e);
      }
      if (missing.isPresent()) {
        throw new ExitException(
            ExitCodes.FAILURE, "session " + name + ": no such container (its proxy credential is revoked anyway)");
      }
      info("session %s deleted; its proxy credential is revoked", name);
      return ExitCodes.OK;
    }
  }
}
