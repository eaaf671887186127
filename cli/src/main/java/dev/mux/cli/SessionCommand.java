package dev.mux.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mux.ca.CertificateAuthority;
import dev.mux.docker.AgentSession;
import dev.mux.docker.AttachResult;
import dev.mux.docker.DockerSessionException;
import dev.mux.docker.DockerSessions;
import dev.mux.docker.SessionInfo;
import dev.mux.docker.SessionMode;
import dev.mux.docker.SessionSpec;
import dev.mux.docker.SessionStatus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
      SessionCommand.CreateCommand.class,
      SessionCommand.ListCommand.class,
      SessionCommand.AttachCommand.class,
      SessionCommand.LogsCommand.class,
      SessionCommand.StopCommand.class,
      SessionCommand.DeleteCommand.class
    })
final class SessionCommand extends CommandGroup {

  static String checkSessionName(String name) {
    try {
      return SessionSpec.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new ExitException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** The placeholders the running daemon announced, else those of the rules this process sees. */
  static Map<String, String> placeholders(StateFolder state, RulesOptions rules, Map<String, String> environment) {
    return DaemonInfo.read(state)
        .map(DaemonInfo::placeholders)
        .filter(p -> p != null)
        .orElseGet(() -> rules.load(state, environment).placeholderEnvironment());
  }

  @Command(name = "create", header = "Create and start a session; --print waits for the answer and prints it.")
  static final class CreateCommand extends BaseCommand {
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
      checkSessionName(name);
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
          SessionBackend.open(state, environment(), placeholders(state, rulesOptions, environment()))) {
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

  @Command(name = "list", header = "List sessions: name, status, mode, age, image.")
  static final class ListCommand extends BaseCommand {
    private static final String FORMAT = "%-24s %-12s %-12s %-8s %s%n";

    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      StateFolder state = StateFolder.resolve(home, environment());
      try (DockerSessions sessions = SessionBackend.open(state, environment(), Map.of())) {
        List<SessionInfo> list = SessionBackend.call(sessions::list);
        if (json) {
          ObjectMapper mapper = new ObjectMapper();
          ArrayNode array = mapper.createArrayNode();
          for (SessionInfo s : list) {
            ObjectNode node = array.addObject();
            node.put("name", s.name());
            node.put("status", status(s.status()));
            if (s.status() instanceof SessionStatus.Exited exited) {
              node.put("exit_code", exited.exitCode());
            }
            node.put("mode", s.mode().name().toLowerCase(Locale.ROOT));
            node.put("image", s.image());
            node.put("workspace", s.workspace() == null ? null : s.workspace().toString());
            node.put("created", s.created() == null ? null : s.created().toString());
            node.put("container_id", s.containerId());
          }
          out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
        } else {
          out().printf(FORMAT, "NAME", "STATUS", "MODE", "AGE", "IMAGE");
          for (SessionInfo s : list) {
            out().printf(
                FORMAT, s.name(), status(s.status()), s.mode().name().toLowerCase(Locale.ROOT), age(s.created()), s.image());
          }
        }
        out().flush();
        return ExitCodes.OK;
      }
    }

    static String status(SessionStatus status) {
      if (status instanceof SessionStatus.Exited exited) {
        return "exited(" + exited.exitCode() + ")";
      }
      return status.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    static String age(Instant created) {
      if (created == null) {
        return "-";
      }
      Duration age = Duration.between(created, Instant.now());
      if (age.isNegative() || age.toMinutes() < 1) {
        return Math.max(0, age.toSeconds()) + "s";
      }
      if (age.toHours() < 1) {
        return age.toMinutes() + "m";
      }
      if (age.toDays() < 1) {
        return age.toHours() + "h";
      }
      return age.toDays() + "d";
    }
  }

  @Command(name = "attach", header = "Attach this terminal to a session; Ctrl-P Ctrl-Q detaches (it keeps running).")
  static final class AttachCommand extends BaseCommand {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "N", description = "Session name.")
    String name;

    @Override
    public Integer call() {
      checkSessionName(name);
      StateFolder state = StateFolder.resolve(home, environment());
      try (DockerSessions sessions = SessionBackend.open(state, environment(), Map.of())) {
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

  @Command(name = "logs", header = "Print a session's output; -f keeps following.")
  static final class LogsCommand extends BaseCommand {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "N", description = "Session name.")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing output until the agent stops.")
    boolean follow;

    @Override
    public Integer call() {
      checkSessionName(name);
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

  @Command(name = "stop", header = "Stop a session's agent (the container and its files stay).")
  static final class StopCommand extends BaseCommand {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "N", description = "Session name.")
    String name;

    @Override
    public Integer call() {
      checkSessionName(name);
      StateFolder state = StateFolder.resolve(home, environment());
      try (DockerSessions sessions = SessionBackend.open(state, environment(), Map.of())) {
        SessionBackend.run(() -> sessions.session(name).stop());
        info("session %s stopped", name);
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "delete",
      header = "Delete a session: remove its container and files, and revoke its proxy credential.")
  static final class DeleteCommand extends BaseCommand {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "N", description = "Session name.")
    String name;

    @Override
    public Integer call() {
      checkSessionName(name);
      StateFolder state = StateFolder.resolve(home, environment()).ensureExists();
      // Revoke first: even if Docker fails below, the credential no longer opens the proxy.
      ClientCredentials.open(state).revoke(name);
      try (DockerSessions sessions = SessionBackend.open(state, environment(), Map.of())) {
        Optional<DockerSessionException> missing = Optional.empty();
        try {
          sessions.session(name).delete();
        } catch (DockerSessionException e) {
          if (e.reason() != DockerSessionException.Reason.SESSION_MISSING) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage() + " (its proxy credential is revoked)", e);
          }
          missing = Optional.of(e);
        }
        if (missing.isPresent()) {
          throw new ExitException(
              ExitCodes.FAILURE, "session " + name + ": no such container (its proxy credential is revoked anyway)");
        }
        info("session %s deleted; its proxy credential is revoked", name);
        return ExitCodes.OK;
      }
    }
  }
}
