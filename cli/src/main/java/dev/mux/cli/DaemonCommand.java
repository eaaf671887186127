package dev.mux.cli;

import dev.mux.rules.CredentialRules;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux daemon}: the proxy in the foreground until SIGINT/SIGTERM. */
@Command(
    name = "daemon",
    header = "Run the credential-injecting proxy in the foreground.",
    description = {
      "Creates or loads the CA, loads the rules and credentials, and listens on loopback plus",
      "the Docker bridge gateway (containers reach it as host.docker.internal). The config file",
      "and secrets/ are reloaded on change. SIGINT/SIGTERM stop it cleanly (audit flushed).",
      "",
      "Examples:",
      "  CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-... mux daemon",
      "  mux daemon --port 0 --bind 127.0.0.1 --config rules.toml --upstream-ca corp-ca.pem",
      ""
    })
final class DaemonCommand extends BaseCommand {
  @Mixin HomeOption home;
  @Mixin RulesOptions rulesOptions;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + DaemonInfo.DEFAULT_PORT,
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "Address to listen on, repeatable (default: 127.0.0.1 and the docker0 gateway if present).")
  List<String> bind = new ArrayList<>();

  @Option(
      names = "--upstream-ca",
      paramLabel = "PEM",
      description = "Extra CA certificate(s) trusted for upstream servers, repeatable (besides the JVM's).")
  List<Path> upstreamCa = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ExitException(ExitCodes.USAGE, "port: " + port + " (expected: 0-65535)");
    }
    StateFolder state = StateFolder.resolve(home, environment()).ensureExists();
    List<InetSocketAddress> addresses = BindAddresses.resolve(bind, port);
    CredentialRules rules = rulesOptions.load(state, environment());
    Daemon daemon = Daemon.start(state, rules, addresses, UpstreamCertificates.read(upstreamCa));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  int status = ExitCodes.OK;
                  try {
                    daemon.close();
                  } catch (RuntimeException | Error e) {
                    System.err.println("mux daemon: error while stopping: " + Mux.describe(e));
                    status = ExitCodes.FAILURE;
                  } finally {
                    stopped.countDown();
                    System.err.flush();
                    // A stop asked for by SIGINT/SIGTERM is a success, not "killed by signal" (130/143).
                    Runtime.getRuntime().halt(status);
                  }
                },
                "mux-daemon-stop"));
    stopped.await();
    return ExitCodes.OK;
  }
}
