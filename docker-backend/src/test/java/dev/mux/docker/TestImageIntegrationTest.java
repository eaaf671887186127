package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test image also builds on hosts without a static busybox: /bin/sh, tools and their libraries
 * (dev.mux.docker.testing.TestImage, shared with the examples' and the cli's tests).
 */
@Timeout(120)
class TestImageIntegrationTest {
  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  @Test
  void hostToolsImageRunsTheFakeAgent() throws Exception {
    String image = DockerEngineExtension.agentImage(docker.dockerHost(), false);
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).image(image).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("host-tools"))
            .workspace(workspace).mode(SessionMode.PRINT).prompt("from host tools")
            .env("FAKE_CLAUDE_EXIT", "6").build())) {
      assertThat(session.start().waitForExit()).isEqualTo(6);
      assertThat(TestFiles.argv(workspace)).last().isEqualTo("from host tools");
      assertThat(TestFiles.environ(workspace)).containsEntry("IS_SANDBOX", "1");
    }
  }
}
