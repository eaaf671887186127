package dev.mux.examples;

import dev.mux.rules.Placeholders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.docker.AgentCommand;
import dev.mux.docker.DockerSessions;
import dev.mux.docker.SessionStatus;
import dev.mux.docker.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs a Docker engine: without one this test fails, saying how to start one. The agent image is
 * built offline from the host's busybox, or its /bin/sh and tools (docker-backend's TestImage).
 */
@Timeout(180)
class DockerSessionExampleTest {
  /** Stands in for Claude Code: prints what it was given and what it can see of mux. */
  private static final AgentCommand FAKE_AGENT = AgentCommand.of("sh", "-c", String.join("\n",
      "echo \"prompt: $1\"",
      "echo \"token: $CLAUDE_CODE_OAUTH_TOKEN\"",
      "echo \"proxy: ${HTTPS_PROXY##*@}\"",
      "test -s \"$NODE_EXTRA_CA_CERTS\" && echo \"ca: $NODE_EXTRA_CA_CERTS\"",
      "ls /workspace",
      "exit 7"), "agent");

  @TempDir Path dir;

  @Test
  void printSessionRunsTheAgentWithPlaceholdersOnlyAndIsDeletedAfterwards() throws Exception {
    String image = TestImage.builder("mux-examples-agent").build();
    Path home = Files.createDirectories(dir.resolve("home"));
    Path workspace = Files.createDirectories(dir.resolve("workspace"));
    Files.writeString(workspace.resolve("README.md"), "a project");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    DockerSessionExample.Result result =
        DockerSessionExample.run(image, FAKE_AGENT, home, workspace, "fix the 'login' test", out);

    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "prompt: fix the 'login' test",
        "token: " + Placeholders.ANTHROPIC_OAUTH,
        "proxy: host.docker.internal:18080",
        "ca: /etc/ssl/certs/mux-proxy-ca.pem",
        "README.md");
    try (DockerSessions sessions = DockerSessions.builder().build()) {
      assertThat(sessions.session(result.name()).status()).isEqualTo(new SessionStatus.Missing());
    }
  }
}
