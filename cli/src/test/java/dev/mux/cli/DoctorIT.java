package dev.mux.cli;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.docker.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mux doctor} from the real jar: a healthy setup, then each failure it reports. */
class DoctorIT {
  private static final String TOKEN = TestTokens.oauth("doctor-it");

  @TempDir Path home;

  private Map<String, String> environment(String... extra) {
    Map<String, String> environment = new HashMap<>(Map.of("MUX_HOME", home.toString()));
    for (int i = 0; i < extra.length; i += 2) {
      environment.put(extra[i], extra[i + 1]);
    }
    return environment;
  }

  private MuxJar.Background daemon(String... bind) {
    String[] args = new String[2 + bind.length * 2 + 1];
    int i = 0;
    args[i++] = "daemon";
    args[i++] = "--port";
    args[i++] = "0";
    for (String address : bind) {
      args[i++] = "--bind";
      args[i++] = address;
    }
    MuxJar.Background daemon =
        MuxJar.Background.start(environment("CLAUDE_CODE_OAUTH_TOKEN", TOKEN), java.util.Arrays.copyOf(args, i));
    daemon.awaitListening(home);
    return daemon;
  }

  @Test
  void healthySetupPassesEveryCheck() {
    String image = AgentImage.ensureBuilt();
    MuxJar.Background daemon = daemon();
    try {
      MuxJar.Result doctor = MuxJar.run(environment("MUX_IMAGE", image), "doctor");

      assertThat(doctor.status()).as(doctor.out()).isZero();
      assertThat(doctor.out())
          .contains("✓ CA key " + home.resolve("proxy-ca-key.pem") + " is readable by its owner only (600)")
          .contains("✓ rule anthropic (api.anthropic.com): CLAUDE_CODE_OAUTH_TOKEN from env, an OAuth token")
          .contains("✓ daemon answers on 127.0.0.1:")
          .contains("✓ daemon listens on the Docker bridge")
          .contains("✓ Docker engine answers")
          .contains("✓ agent image " + image + " is present and runs")
          .contains("✓ a container holds the proxy CA")
          .contains("✓ a container reaches the daemon at host.docker.internal:")
          .contains("all checks passed")
          .doesNotContain("✗")
          .doesNotContain(TOKEN);
    } finally {
      daemon.close();
    }
  }

  @Test
  void freshFolderWithoutDaemonReportsCaDaemonAndToken() {
    MuxJar.Result doctor = MuxJar.run(environment(), "doctor", "--no-docker", "--port", "1");

    assertThat(doctor.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(doctor.out())
        .contains("✗ no CA in " + home + " yet", "fix: run `mux daemon`")
        .contains("✗ rule anthropic (api.anthropic.com): no credential CLAUDE_CODE_OAUTH_TOKEN")
        .contains("fix: export CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-")
        .contains("✗ no mux daemon answers on 127.0.0.1:1")
        .contains("✗ no " + home.resolve("claude.json"));
  }

  @Test
  void apiKeyInTheOauthVariableIsReported() {
    MuxJar.Result doctor =
        MuxJar.run(environment("CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-api03-not-an-oauth-token"), "doctor", "--no-docker");

    assertThat(doctor.out())
        .contains("✗ rule anthropic (api.anthropic.com): CLAUDE_CODE_OAUTH_TOKEN from env holds an API key")
        .contains("OAuth authentication is currently not supported")
        .contains("fix: get an OAuth token with `claude setup-token`")
        .doesNotContain("sk-ant-api03-not-an-oauth-token");
  }

  @Test
  void malformedSecretFileIsReportedWithoutItsValue() throws Exception {
    Path secrets = Files.createDirectories(home.resolve("secrets"));
    Path file = Files.writeString(secrets.resolve("CLAUDE_CODE_OAUTH_TOKEN"), "oat01 with spaces\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    MuxJar.Result doctor = MuxJar.run(environment(), "doctor", "--no-docker");

    assertThat(doctor.out())
        .contains("CLAUDE_CODE_OAUTH_TOKEN from file contains whitespace or a line break")
        .doesNotContain("oat01 with spaces");
  }

  @Test
  void caKeyReadableByOthersIsReported() throws Exception {
    MuxJar.run(environment(), "ca", "show");
    Files.setPosixFilePermissions(home.resolve("proxy-ca-key.pem"), PosixFilePermissions.fromString("rw-r--r--"));

    MuxJar.Result doctor = MuxJar.run(environment("CLAUDE_CODE_OAUTH_TOKEN", TOKEN), "doctor", "--no-docker");

    assertThat(doctor.out())
        .contains("✗ CA key " + home.resolve("proxy-ca-key.pem") + " has mode rw-r--r--")
        .contains("fix: chmod 600 " + home.resolve("proxy-ca-key.pem"));
  }

  @Test
  void claudeJsonWithoutOnboardingFlagIsReported() throws Exception {
    Files.writeString(home.resolve("claude.json"), "{}");

    MuxJar.Result doctor = MuxJar.run(environment(), "doctor", "--no-docker");

    assertThat(doctor.out()).contains("✗ " + home.resolve("claude.json") + " lacks \"hasCompletedOnboarding\": true");
  }

  @Test
  void daemonOnLoopbackOnlyIsUnreachableFromContainers() {
    String image = AgentImage.ensureBuilt();
    MuxJar.Background daemon = daemon("127.0.0.1");
    try {
      MuxJar.Result doctor = MuxJar.run(environment("MUX_IMAGE", image), "doctor");

      assertThat(doctor.status()).isEqualTo(ExitCodes.FAILURE);
      assertThat(doctor.out())
          .contains("✓ daemon answers on 127.0.0.1:")
          .contains("✗ daemon does not listen on the Docker bridge")
          .contains("✗ a container cannot reach the daemon at host.docker.internal:")
          .contains("fix: the daemon must listen on the Docker bridge");
    } finally {
      daemon.close();
    }
  }

  @Test
  void missingImageIsReported() {
    MuxJar.Background daemon = daemon();
    try {
      MuxJar.Result doctor = MuxJar.run(environment(), "doctor", "--image", "mux-doctor-absent:none");

      assertThat(doctor.status()).isEqualTo(ExitCodes.FAILURE);
      assertThat(doctor.out()).contains("✗ agent image mux-doctor-absent:none is not on the engine");
    } finally {
      daemon.close();
    }
  }

  @Test
  void caCloseToExpiryIsReported() {
    dev.mux.ca.CertificateAuthority.builder().validity(java.time.Duration.ofDays(10)).build().save(home);

    MuxJar.Result doctor = MuxJar.run(environment("CLAUDE_CODE_OAUTH_TOKEN", TOKEN), "doctor", "--no-docker");

    assertThat(doctor.out()).containsPattern("✗ CA certificate expires on \\S+ \\(in under 30 days\\)");
  }

  @Test
  void unloadableCaIsReported() throws Exception {
    Files.writeString(home.resolve("proxy-ca.pem"), "not a certificate");

    MuxJar.Result doctor = MuxJar.run(environment(), "doctor", "--no-docker");

    assertThat(doctor.out()).contains("✗ CA does not load: ").contains("fix: fix or remove both CA files");
  }

  @Test
  void somethingElseOnThePortIsReported() throws Exception {
    try (java.net.ServerSocket other = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
      Thread answer = new Thread(() -> {
        try (java.net.Socket client = other.accept()) {
          client.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes());
        } catch (java.io.IOException ignored) {
          // the test reports what doctor saw
        }
      });
      answer.start();

      MuxJar.Result doctor =
          MuxJar.run(environment(), "doctor", "--no-docker", "--port", Integer.toString(other.getLocalPort()));

      assertThat(doctor.out()).contains("✗ something other than a mux daemon answers on 127.0.0.1:"
          + other.getLocalPort() + ": HTTP/1.1 200 OK");
      answer.join(10_000);
    }
  }

  @Test
  void imageWithoutTheAgentIsReported() {
    String image = TestImage.builder("mux-doctor-no-agent").hostTools(AgentImage.HOST_TOOLS).build();
    MuxJar.Background daemon = daemon();
    try {
      MuxJar.Result doctor = MuxJar.run(environment(), "doctor", "--image", image);

      assertThat(doctor.out())
          .contains("✓ agent image " + image + " is present and runs")
          .contains("✗ the image has no `claude` on its PATH")
          .contains("✓ a container reaches the daemon");
    } finally {
      daemon.close();
    }
  }

  @Test
  void unreachableDockerEngineIsReported() {
    MuxJar.Result doctor = MuxJar.run(environment("DOCKER_HOST", "unix:///nonexistent/docker.sock"), "doctor");

    assertThat(doctor.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(doctor.out()).contains("✗ no Docker engine answers at unix:///nonexistent/docker.sock");
  }
}
