package dev.mux.cli;

import dev.mux.docker.AgentSession;
import dev.mux.docker.AttachResult;
import dev.mux.docker.DockerSessions;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/** {@code mux session attach N}: the terminal to the agent until detach or exit. */
@Command(name = "attach", header = "Attach this terminal to a session; Ctrl-P Ctrl-Q detaches (it keeps running).")
final class SessionAttachCommand extends NamedSessionCommand {

  @Override
  public Integer call() {
    StateFolder state = state();
    try (DockerSessions sessions = openSessions(state)) {
      AgentSession session = sessions.session(name);
      info("attached to %s; detach with Ctrl-P Ctrl-Q", name);
      AttachResult result =
          SessionBackend.call(
              () ->
                  System.console() != null
                      ? session.attachTerminal(new PrintStream(System.out, true))
                      : session.attach(System.in, new WriterOutputStream(out())));
      out().flush();
      if (result instanceof AttachResult.Exited exited) {
        info("%nsession %s: the agent exited with %d", name, exited.exitCode());
        return exited.exitCode() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
      }
      info("%ndetached from %s; it keeps running (mux session attach %s)", name, name);
      return ExitCodes.OK;
    }
  }
}
