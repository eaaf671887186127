package dev.mux.cli;

import dev.mux.docker.DockerSessions;
import picocli.CommandLine.Command;

/** {@code mux session stop N}: stops the agent, keeps the container. */
@Command(name = "stop", header = "Stop a session's agent (the container and its files stay).")
final class SessionStopCommand extends NamedSessionCommand {

  @Override
  public Integer call() {
    StateFolder state = state();
    try (DockerSessions sessions = openSessions(state)) {
      SessionBackend.run(() -> sessions.session(name).stop());
      info("session %s stopped", name);
      return ExitCodes.OK;
    }
  }
}
