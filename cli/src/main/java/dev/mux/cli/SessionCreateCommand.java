package dev.mux.cli;

import dev.mux.ca.CertificateAuthority;
import dev.mux.docker.AgentSession;
import dev.mux.docker.DockerSessions;
import dev.mux.docker.SessionMode;
import dev.mux.docker.SessionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux session create}: a new session, started; {@code --print} waits for the answer. */
@Command(name = "create", header = "Create and start a session; --print waits for the answer and prints it.")
final class SessionCreateCommand extends BaseCommand {
  @Mixin HomeOption home;
  @Mixin RulesOptions rulesOptions;

  @Option(names = "--name", required = true, paramLabel = "N", description = "Session name: a-z, 0-9, '-'.")
  String name;

  @Option(names = "--prompt", paramLabel = "P", description = "The agent's first prompt.")
  String prompt;

  @Option(names = "--print", description = "Headless: print the answer, exit with the agent's status.")
  boolean print;

  @Option(names = "--image", paramLabel = "I", description = "Image to run (default: $MUX_IMAGE, else mux-agent:latest).")
  String image;

  @Option(
      names = "--workspace",
      paramLabel = "DIR",
      description = "Host folder mounted at /workspace (default: the current folder).")
  Path workspace;

  @Override
  public Integer call() {
    SessionCommand.checkSessionName(name);
    if (print && (prompt == null || prompt.isBlank())) {
      throw new ExitException(ExitCodes.USAGE, "prompt: not set (expected: --prompt P with --print)");
    }
    StateFolder state = StateFolder.resolve(home, environment()).ensureExists();
    CertificateAuthority ca = CaCommand.loadOrCreate(state);
    ClaudeJson.ensureExists(state);
    if (DaemonInfo.read(state).isEmpty()) {
      info("mux session create: no running daemon announced in %s; the session will use port %d",
          state.daemonInfo(), DaemonInfo.DEFAULT_PORT);
    }
    Path folder = (workspace != null ? workspace : Path.of("")).toAbsolutePath().normalize();
    if (!Files.isDirectory(folder)) {
      throw new ExitException("workspace: " + folder + " is not a folder (expected: an existing folder)");
    }
    ClientCredentials credentials = ClientCredentials.open(state);
    SessionSpec.Builder spec =
        SessionSpec.builder(name)
            .workspace(folder)
            .mode(print ? SessionMode.PRINT : SessionMode.INTERACTIVE)
            .proxyCredential(credentials.issue(name).password());
    if (prompt != null) {
      spec.prompt(prompt);
    }
    if (image != null) {
      spec.image(image);
    }
    try (DockerSessions sessions =
        SessionBackend.open(state, environment(), SessionCommand.placeholders(state, rulesOptions, environment()))) {
      AgentSession session = SessionBackend.call(() -> sessions.create(spec.build()));
      info("session %s created (container %s, CA %s)", name, session.containerName(), ca.fingerprintSha256());
      if (print) {
        int status =
            SessionBackend.call(
                () -> session.streamUntilExit(new WriterOutputStream(out()), new WriterOutputStream(err())));
        out().flush();
        if (status != 0) {
          info("session %s: the agent exited with %d (see: mux session logs %s)", name, status, name);
          return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
      }
      SessionBackend.run(session::start);
      info("session %s started; attach with: mux session attach %s", name, name);
      return ExitCodes.OK;
    }
  }
}
