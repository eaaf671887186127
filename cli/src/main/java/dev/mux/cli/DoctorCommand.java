package dev.mux.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.CertificateAuthorityException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux doctor}: the design document's Common Issues, diagnosed automatically. */
@Command(
    name = "doctor",
    header = "Check the setup; print ✓/✗ for each part and how to fix what is wrong.",
    description = {
      "Checks: the credential of each active rule (present, well-formed: an OAuth token starts with",
      "sk-ant-oat01-), claude.json, the CA files and their permissions, the daemon on its port and on the",
      "Docker bridge, the Docker engine, the agent image, and a throwaway container that must reach the",
      "daemon at host.docker.internal and hold the CA. Exit status 1 if anything failed.",
      ""
    })
final class DoctorCommand extends BaseCommand {
  static final Duration CA_RENEW_WARNING = Duration.ofDays(30);

  @Mixin HomeOption home;
  @Mixin RulesOptions rulesOptions;

  @Option(names = "--port", paramLabel = "PORT", description = "Daemon port (default: the running daemon's, else 18080).")
  Integer port;

  @Option(names = "--image", paramLabel = "I", description = "Agent image (default: $MUX_IMAGE, else mux-agent:latest).")
  String image;

  @Option(names = "--no-docker", description = "Skip the Docker engine, image and container checks.")
  boolean noDocker;

  private final List<Check> checks = new ArrayList<>();

  @Override
  public Integer call() {
    StateFolder state = StateFolder.resolve(home, environment());
    out().println("mux doctor: state folder " + state.dir());
    if (!Files.isDirectory(state.dir())) {
      report(Check.fail("no state folder at " + state.dir(), "run `mux daemon` (it creates the folder, the CA and claude.json)"));
    }
    Optional<CertificateAuthority> ca = checkCa(state);
    checkCredentials(state);
    checkClaudeJson(state);
    Optional<DaemonInfo> daemon = DaemonInfo.read(state);
    boolean daemonUp = checkDaemon(state, daemon);
    if (!noDocker) {
      new DockerChecks(state, environment(), image, this::report).run(daemonUp, ca.isPresent());
    }
    long failed = checks.stream().filter(c -> !c.ok()).count();
    out().println(failed == 0 ? "all checks passed" : failed + " check(s) failed");
    out().flush();
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private void report(Check check) {
    checks.add(check);
    out().println(check.render());
    out().flush();
  }

  private Optional<CertificateAuthority> checkCa(StateFolder state) {
    Path certificate = state.caCertificate();
    Path key = state.caKey();
    boolean hasCertificate = Files.exists(certificate);
    boolean hasKey = Files.exists(key);
    if (!hasCertificate && !hasKey) {
      report(Check.fail("no CA in " + state.dir() + " yet", "run `mux daemon` (or `mux ca show`) to create it"));
      return Optional.empty();
    }
    if (hasKey) {
      try {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(key));
        if (mode.equals("rw-------")) {
          report(Check.pass("CA key " + key + " is readable by its owner only (600)"));
        } else {
          report(Check.fail("CA key " + key + " has mode " + mode + " (expected: rw------- = 600): others could sign"
              + " certificates every session trusts", "chmod 600 " + key));
        }
      } catch (IOException | UnsupportedOperationException e) {
        report(Check.fail("cannot read the permissions of " + key + ": " + e.getMessage(), "check the file"));
      }
    }
    try {
      CertificateAuthority loaded = CertificateAuthority.load(state.dir());
      Instant notAfter = loaded.certificate().getNotAfter().toInstant();
      if (notAfter.isBefore(Instant.now())) {
        report(Check.fail("CA certificate expired on " + notAfter,
            "move " + certificate + " and " + key + " away and restart `mux daemon` (sessions need the new CA)"));
      } else if (notAfter.isBefore(Instant.now().plus(CA_RENEW_WARNING))) {
        report(Check.fail("CA certificate expires on " + notAfter + " (in under 30 days)",
            "move " + certificate + " and " + key + " away and restart `mux daemon` to make a new one"));
      } else {
        report(Check.pass("CA " + certificate + " loads (SHA-256 " + loaded.fingerprintSha256() + ", valid until "
            + notAfter + ")"));
      }
      return Optional.of(loaded);
    } catch (CertificateAuthorityException e) {
      report(Check.fail("CA does not load: " + e.getMessage(), "fix or remove both CA files; `mux daemon` then makes a new CA"));
      return Optional.empty();
    }
  }

  private void checkCredentials(StateFolder state) {
    Optional<DaemonInfo> daemon = DaemonInfo.readLive(state).filter(d -> d.credentialChecks() != null);
    if (daemon.isPresent()) {
      out().println("  credentials as the running daemon (pid " + daemon.get().pid() + ") sees them:");
      daemon.get().credentialChecks().forEach(this::report);
      return;
    }
    out().println("  credentials as this shell sees them (the daemon reads its own environment):");
    try {
      CredentialChecks.of(rulesOptions.load(state, environment()), state).forEach(this::report);
    } catch (ExitException e) {
      report(Check.fail("rules do not load: " + e.getMessage(), "fix the config file (see credential-rules/README.md)"));
    }
  }

  private void checkClaudeJson(StateFolder state) {
    Path file = state.claudeJson();
    if (!Files.exists(file)) {
      report(Check.fail("no " + file + ": Claude Code would show its onboarding prompt",
          "run `mux daemon` (it creates it) or write {\"hasCompletedOnboarding\": true} to it"));
      return;
    }
    try {
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      if (json != null && json.path("hasCompletedOnboarding").asBoolean(false)) {
        report(Check.pass(file + " has hasCompletedOnboarding: true (sessions get a writable copy)"));
      } else {
        report(Check.fail(file + " lacks \"hasCompletedOnboarding\": true (onboarding prompt would appear)",
            "add \"hasCompletedOnboarding\": true to " + file));
      }
    } catch (IOException e) {
      report(Check.fail(file + " is not valid JSON", "write {\"hasCompletedOnboarding\": true} to " + file));
    }
  }

  private boolean checkDaemon(StateFolder state, Optional<DaemonInfo> daemon) {
    int daemonPort = port != null ? port : daemon.map(DaemonInfo::port).orElse(DaemonInfo.DEFAULT_PORT);
    DaemonProbe probe = DaemonProbe.probe(daemonPort);
    if (probe.isMuxDaemon()) {
      report(Check.pass("daemon answers on 127.0.0.1:" + daemonPort + " and requires a proxy credential (407)"));
    } else {
      report(Check.fail(probe.problem(), "start it: `mux daemon` (with CLAUDE_CODE_OAUTH_TOKEN set), or pass the right --port"));
      return false;
    }
    Optional<String> bridge = BindAddresses.dockerBridgeGateway();
    if (bridge.isPresent() && daemon.isPresent()) {
      boolean onBridge = daemon.get().addresses().stream().anyMatch(a -> a.startsWith(bridge.get() + ":")
          || a.startsWith("0.0.0.0:"));
      if (onBridge) {
        report(Check.pass("daemon listens on the Docker bridge " + bridge.get() + " (containers' host.docker.internal)"));
      } else {
        report(Check.fail("daemon does not listen on the Docker bridge " + bridge.get() + " (it listens on "
                + String.join(", ", daemon.get().addresses()) + "): containers cannot reach it",
            "restart `mux daemon` without --bind, or add --bind " + bridge.get()));
      }
    }
    return true;
  }
}
