package dev.mux.cli;

import dev.mux.docker.DockerSessionException;
import dev.mux.docker.DockerSessions;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Docker half of {@code mux doctor}: the engine, the agent image, and a probe container set
 * up like a session (see {@link ContainerProbe}) that must hold the CA and reach the daemon.
 */
final class DockerChecks {
  private final StateFolder state;
  private final Map<String, String> environment;
  private final String image;
  private final Consumer<Check> report;

  DockerChecks(StateFolder state, Map<String, String> environment, String image, Consumer<Check> report) {
    this.state = state;
    this.environment = environment;
    this.image = image;
    this.report = report;
  }

  private void report(Check check) {
    report.accept(check);
  }

  void run(boolean daemonUp, boolean caUsable) {
    try (DockerSessions sessions = SessionBackend.open(state, environment, Map.of())) {
      if (!sessions.isDockerAvailable()) {
        report(Check.fail("no Docker engine answers at " + sessions.dockerHost(),
            "start Docker (dockerd), or set DOCKER_HOST to a running engine"));
        return;
      }
      report(Check.pass("Docker engine answers at " + sessions.dockerHost()));
    }
    String chosenImage = image != null ? image : environment.getOrDefault(SessionBackend.IMAGE_VARIABLE, DockerSessions.DEFAULT_IMAGE);
    if (!caUsable) {
      report(Check.fail("container check skipped: no usable CA", "fix the CA first (see above)"));
      return;
    }
    Map<String, String> answers;
    try {
      answers = ContainerProbe.run(state, environment, chosenImage);
    } catch (DockerSessionException e) {
      if (ContainerProbe.isMissingImage(e)) {
        report(Check.fail("agent image " + chosenImage + " is not on the engine", e.getMessage()));
      } else {
        report(Check.fail("cannot run a probe container from " + chosenImage + ": " + e.getMessage(),
            "check the engine and the image (docker run --rm " + chosenImage + " sh -c true)"));
      }
      return;
    } catch (RuntimeException e) {
      report(Check.fail("cannot run a probe container from " + chosenImage + ": " + Mux.describe(e),
          "check the image has /bin/sh (docker run --rm " + chosenImage + " sh -c true)"));
      return;
    }
    report(Check.pass("agent image " + chosenImage + " is present and runs"));
    if ("yes".equals(answers.get("agent"))) {
      report(Check.pass("the image has the agent (claude) on its PATH"));
    } else {
      report(Check.fail("the image has no `claude` on its PATH", "build the agent image with Claude Code installed"));
    }
    String expectedSha = ContainerProbe.sha256Hex(state.caCertificate());
    boolean caFile = "yes".equals(answers.get("ca-file"));
    boolean caSame = !answers.containsKey("ca-sha256") || expectedSha.equals(answers.get("ca-sha256"));
    boolean bundle = "yes".equals(answers.get("bundle"));
    if (caFile && caSame && bundle) {
      report(Check.pass("a container holds the proxy CA (NODE_EXTRA_CA_CERTS) and a bundle with it (SSL_CERT_FILE)"));
    } else {
      report(Check.fail("a container does not trust the proxy CA (CA file: " + (caFile ? "present" : "missing")
              + (caSame ? "" : ", different from " + state.caCertificate()) + ", bundle: " + (bundle ? "ok" : "missing") + ")",
          "recreate the session; check the image does not override NODE_EXTRA_CA_CERTS/SSL_CERT_FILE"));
    }
    String reach = answers.get("reach");
    String target = answers.getOrDefault("proxy", "host.docker.internal");
    if (ContainerProbe.reached(reach)) {
      report(Check.pass("a container reaches the daemon at " + target));
    } else if ("untested".equals(reach)) {
      report(Check.fail("cannot test from the container whether it reaches " + target + " (no nc or curl in the image)",
          "add busybox or curl to the image"));
    } else {
      report(Check.fail("a container cannot reach the daemon at " + target + " (" + (reach == null ? "no answer" : reach) + ")",
          daemonUp
              ? "the daemon must listen on the Docker bridge: restart `mux daemon` without --bind (or add --bind "
                  + BindAddresses.dockerBridgeGateway().orElse("<bridge address>") + "); check the firewall"
              : "start `mux daemon` first"));
    }
    String https = answers.get("https");
    if (https != null) {
      if (https.equals("000")) {
        report(Check.fail("curl in a container failed HTTPS to api.anthropic.com through the proxy (TLS or proxy error)",
            "check the two container checks above"));
      } else {
        report(Check.pass("curl in a container did HTTPS to api.anthropic.com through the proxy (HTTP " + https + ")"));
      }
    }
  }
}
