package dev.mux.cli;

import dev.mux.docker.AgentSession;
import dev.mux.docker.DockerSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mux session logs N [-f]}: the agent's output. */
@Command(name = "logs", header = "Print a session's output; -f keeps following.")
final class SessionLogsCommand extends NamedSessionCommand {

  @Option(names = {"-f", "--follow"}, description = "Keep printing output until the agent stops.")
  boolean follow;

  @Override
  public Integer call() {
    StateFolder state = state();
    try (DockerSessions sessions = openSessions(state)) {
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
