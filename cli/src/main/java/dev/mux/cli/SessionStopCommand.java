package dev.mux.cli;

import dev.mux.docker.DockerSessions;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mux session stop N}: stops the agent, keeps the container. */
@Command(name = "stop", header = "Stop a session's agent (the container and its files stay).")
final class SessionStopCommand extends BaseCommand {
  @Mixin HomeOption home;

  @Parameters(paramLabel = "N", description = "Session name.")
  String name;

  @Override
  public Integer call() {
    SessionCommand.checkSessionName(name);
    StateFolder state = StateFolder.resolve(home, environment());
    try (DockerSessions sessions = SessionBackend.open(state, environment(), Map.of())) {
      SessionBackend.run(() -> sessions.session(name).stop());
      info("session %s stopped", name);
      return ExitCodes.OK;
    }
  }
}
