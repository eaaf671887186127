package dev.mux.cli;

import dev.mux.docker.SessionSpec;
import picocli.CommandLine.Command;

/** {@code mux session …}: agent sessions as Docker containers wired to the proxy. */
@Command(
    name = "session",
    header = "Create, list, attach to, stop and delete agent sessions (Docker containers).",
    description = {
      "Each session is a container mux-<name> holding only placeholder credentials and its own",
      "proxy credential; it reaches the daemon at host.docker.internal. Start `mux daemon` first.",
      "Image: mux-agent:latest unless --image or MUX_IMAGE says otherwise.",
      "",
      "Examples:",
      "  mux session create --name test-session --prompt \"Say hello\"",
      "  mux session attach test-session        (detach: Ctrl-P Ctrl-Q)",
      "  mux session create --name ci-run --print --prompt 'Summarize README.md'",
      ""
    },
    subcommands = {
      SessionCreateCommand.class,
      SessionListCommand.class,
      SessionAttachCommand.class,
      SessionLogsCommand.class,
      SessionStopCommand.class,
      SessionDeleteCommand.class
    })
final class SessionCommand extends CommandGroup {

  static String checkSessionName(String name) {
    try {
      return SessionSpec.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new ExitException(ExitCodes.USAGE, e.getMessage());
    }
  }
}
