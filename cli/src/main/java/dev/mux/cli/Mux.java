package dev.mux.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mux} launcher: {@code java -jar mux-cli.jar <command>}.
 *
 * <p>Exit statuses are in {@link ExitCodes}. Messages go to stderr, data to stdout. Tests drive it
 * in-process through {@link #getCommandLine(PrintWriter, PrintWriter)}.
 */
@Command(
    name = "mux",
    mixinStandardHelpOptions = true,
    versionProvider = Mux.Version.class,
    header = "Run AI coding agents in containers that hold no real credential.",
    description = {
      "",
      "A proxy on the host (mux daemon) intercepts the agents' HTTPS traffic with its own CA,",
      "replaces placeholder credentials with the real ones for the hosts a rule names, and",
      "writes every request to an audit log. State folder: ~/.clauderon (or --home / MUX_HOME).",
      "",
      "Examples:",
      "  mux daemon",
      "  eval \"$(mux env)\"; claude --print 'hi'",
      "  mux session create --name test-session --prompt \"Say hello\"",
      "  mux session attach test-session",
      ""
    },
    subcommands = {
      DaemonCommand.class,
      SessionCommand.class,
      EnvCommand.class,
      CaCommand.class,
      AuditCommand.class,
      RulesCommand.class,
      DoctorCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (one line on stderr says why)", "2:usage error"})
public final class Mux implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Mux.class);

  /** Wide enough for the example lines in the descriptions. */
  private static final int USAGE_WIDTH = 110;

  private final Map<String, String> environment;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Mux(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Runs {@code mux} and exits the JVM with its status. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status = getCommandLine(out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** The whole command tree writing data to {@code out} and messages to {@code err}. */
  public static CommandLine getCommandLine(PrintWriter out, PrintWriter err) {
    return getCommandLine(out, err, System.getenv());
  }

  /** As {@link #getCommandLine(PrintWriter, PrintWriter)}, reading {@code environment} in place of the process's. */
  static CommandLine getCommandLine(PrintWriter out, PrintWriter err, Map<String, String> environment) {
    CommandLine commandLine = new CommandLine(new Mux(environment));
    commandLine.setOut(Objects.requireNonNull(out, "out"));
    commandLine.setErr(Objects.requireNonNull(err, "err"));
    commandLine.setUsageHelpWidth(USAGE_WIDTH);
    commandLine.setExitCodeExceptionMapper(Mux::exitCodeOf);
    commandLine.setExecutionExceptionHandler(
        (exception, failedCommand, parseResult) -> {
          String name = failedCommand.getCommandSpec().qualifiedName();
          if (exception instanceof ExitException) {
            failedCommand.getErr().println(name + ": " + exception.getMessage());
            log.debug("{} failed", name, exception);
          } else {
            failedCommand.getErr().println(name + ": unexpected error: " + describe(exception));
            log.debug("{} failed unexpectedly", name, exception);
          }
          failedCommand.getErr().flush();
          return exitCodeOf(exception);
        });
    return commandLine;
  }

  static int exitCodeOf(Throwable exception) {
    if (exception instanceof ExitException exit) {
      return exit.status();
    }
    if (exception instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }

  /** One line naming the failure and its root cause, without a stack trace. */
  static String describe(Throwable exception) {
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = exception.getClass().getSimpleName() + " (" + exception.getMessage() + ")";
    if (root != exception) {
      text += ". Root cause " + root.getClass().getSimpleName() + " (" + root.getMessage() + ")";
    }
    return text;
  }

  /** The environment commands read (the process's, or a test's). */
  Map<String, String> environment() {
    return environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Mux.class.getPackage().getImplementationVersion();
      return new String[] {"mux " + (version == null ? "(development build)" : version)};
    }
  }
}
