package dev.mux.docker;

import java.nio.file.Path;

/**
 * Run by {@link TerminalAttachIntegrationTest} inside a pseudo-terminal ({@code script}), as a
 * CLI would: attaches the terminal to an existing session and prints how that ended.
 * Arguments: session name, sessions directory, image.
 */
public final class TerminalAttachMain {
  private TerminalAttachMain() {}

  public static void main(String[] args) {
    System.out.println("PID " + ProcessHandle.current().pid());
    System.out.flush();
    try (DockerSessions sessions = DockerSessions.builder()
        .sessionsDirectory(Path.of(args[1])).image(args[2]).build()) {
      AttachResult result = sessions.session(args[0]).attachTerminal();
      System.out.println();
      System.out.println("RESULT " + result);
    }
  }
}
