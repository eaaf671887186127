package dev.mux.cli;

import dev.mux.docker.AgentSession;
import dev.mux.docker.DockerSessions;
import dev.mux.docker.SessionMode;
import dev.mux.docker.SessionSpec;
import dev.mux.rules.CredentialRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

  @Option(
      names = "--print",
      description = "Headless: print the answer and exit with the agent's exit code (mux's own errors: 1, usage: 2).")
  boolean print;

  @Option(names = "--image", paramLabel = "I", description = "Image to run (default: $MUX_IMAGE, else mux-agent:latest).")
  String image;

  @Option(
      names = "--workspace",
      paramLabel = "DIR",
      description = "Host folder mounted at /workspace (default: the current folder).")
  Path workspace;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "K=V",
      description = "Extra environment variable for the agent (repeatable). Not for credentials: the names the"
          + " rules inject (CLAUDE_CODE_OAUTH_TOKEN, GITHUB_TOKEN, ...) and the ones mux sets are refused.")
  Map<String, String> env = new LinkedHashMap<>();

  @Override
  public Integer call() {
    SessionCommand.checkSessionName(name);
    if (print && (prompt == null || prompt.isBlank())) {
      throw new ExitException(ExitCodes.USAGE, "prompt: not set (expected: --prompt P with --print)");
    }
    Path folder = (workspace != null ? workspace : Path.of("")).toAbsolutePath().normalize();
    if (!Files.isDirectory(folder)) {
      throw new ExitException(ExitCodes.USAGE, "workspace: " + folder + " is not a folder (expected: an existing folder)");
    }
    StateFolder state = StateFolder.resolve(home, environment()).ensureExists();
    CredentialRules rules = rulesOptions.load(state, environment());
    checkNoCredentialIn(env, rules.credentialNames());
    DaemonProbe daemon = DaemonProbe.probe(DaemonInfo.portOr(state, DaemonInfo.DEFAULT_PORT));
    if (!daemon.isMuxDaemon()) {
      throw new ExitException(daemon.problem() + ": the session would have no way out; start `mux daemon` first"
          + " (in another terminal), then run this again");
    }
    CaCommand.loadOrCreate(state); // sessions mount its certificate
    ClaudeJson.ensureExists(state);
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
    try {
      spec.env(env);
    } catch (IllegalArgumentException e) {
      throw new ExitException(ExitCodes.USAGE, e.getMessage());
    }
    Map<String, String> placeholders = DaemonInfo.placeholders(DaemonInfo.read(state), rules);
    if (!placeholders.containsKey(CredentialChecks.OAUTH_VARIABLE) && !placeholders.containsKey(EnvCommand.API_KEY_VARIABLE)) {
      info("session %s: warning: the daemon has no Anthropic credential, so Claude Code in the session will not be"
          + " logged in; set CLAUDE_CODE_OAUTH_TOKEN for the daemon (or write secrets/CLAUDE_CODE_OAUTH_TOKEN)", name);
    }
    try (DockerSessions sessions = SessionBackend.open(state, environment(), placeholders)) {
      Progress progress = new Progress(name);
      info("%s", progress.step("creating container mux-" + name));
      AgentSession session = SessionBackend.call(() -> {
        try {
          return sessions.create(spec.build());
        } catch (IllegalArgumentException e) {
          throw new ExitException(ExitCodes.USAGE, e.getMessage());
        }
      });
      info("%s", progress.done("created " + session.containerName() + " (image " + session.info().image()
          + ", workspace " + folder + ")"));
      if (print) {
        info("%s", progress.step("running the agent; its answer follows"));
        int status =
            SessionBackend.call(
                () -> session.streamUntilExit(new WriterOutputStream(out()), new WriterOutputStream(err())));
        out().flush();
        if (status != 0) {
          info("session %s: the agent exited with %d (see: mux session logs %s)", name, status, name);
        }
        return status; // like `docker run`: scripts see the agent's own exit code
      }
      info("%s", progress.step("starting"));
      SessionBackend.run(session::start);
      info("%s", progress.done("started; attach with: mux session attach " + name + "   (detach: Ctrl-P Ctrl-Q)"));
      return ExitCodes.OK;
    }
  }

  /**
   * Refuses a variable the rules read a credential from: a real value there would hand the agent
   * the secret mux exists to keep from it, a placeholder there is already set by mux.
   */
  static void checkNoCredentialIn(Map<String, String> env, Set<String> credentialNames) {
    for (String key : env.keySet()) {
      if (credentialNames.contains(key)) {
        throw new ExitException(ExitCodes.USAGE, "--env " + key + ": that is a credential the proxy injects;"
            + " give it to the daemon (its environment or secrets/" + key + "), never to a session");
      }
    }
  }

  /** One line per step of a session's creation, each finished step with its duration. */
  private static final class Progress {
    private final String name;
    private long started = System.nanoTime();

    Progress(String name) {
      this.name = name;
    }

    String step(String what) {
      started = System.nanoTime();
      return "session " + name + ": " + what + " …";
    }

    String done(String what) {
      return String.format(Locale.ROOT, "session %s: %s (%.1f s)", name, what, (System.nanoTime() - started) / 1e9);
    }
  }
}
