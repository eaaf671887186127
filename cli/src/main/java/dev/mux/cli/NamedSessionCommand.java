package dev.mux.cli;

import dev.mux.docker.DockerSessions;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** What the session commands that act on one existing session share: its name and the engine. */
abstract class NamedSessionCommand extends BaseCommand {
  @Mixin HomeOption home;

  @Parameters(paramLabel = "N", description = "Session name.")
  String name;

  /** The state folder, after checking the session name (a bad name is a usage error). */
  final StateFolder state() {
    SessionCommand.checkSessionName(name);
    return StateFolder.resolve(home, environment());
  }

  /** The sessions on the Docker engine this state folder's daemon serves. */
  final DockerSessions openSessions(StateFolder state) {
    return SessionBackend.open(state, environment(), Map.of());
  }
}
