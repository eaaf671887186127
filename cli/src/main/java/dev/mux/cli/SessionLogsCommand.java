package dev.mux.cli;

import dev.mux.docker.AgentSession;
import dev.mux.docker.DockerSessions;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mux session logs N [-f]}: the agent's output. */
@Command(name = "logs", header = "Print a session's output; -f keeps following.")
final class SessionLogsCommand extends BaseCommand {
  @Mixin HomeOption home;

  @Parameters(paramLabel = "N", description = "Session name.")
  String name;

  @Option(names = {"-f", "--follow"}, description = "Keep printing output until the agent stops.")
  boolean follow;

  @Override
  public Integer call() {
    SessionCommand.checkSessionName(name);
    StateFolder state = StateFolder.resolve(home, environment());
    try (DockerSessions sessions = SessionBackend.open(state, environment(), Map.of())) {
      AgentSession session = sessions.session(name);
      WriterOutputStream stdout = new WriterOutputStream(out());
      WriterOutputStream stderr = new WriterOutputStream(err());
      SessionBackend.run(() -> {
        if (follow) {
          session.followLogs(stdout, stderr);
        } else {
          session.logs(stdout, stderr);
        }
      });
      out().flush();
      return ExitCodes.OK;
    }
  }
}
