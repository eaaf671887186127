package dev.mux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The end-to-end agent image: busybox + the real Claude Code binary, built locally once. */
final class AgentImage {
  static final String NAME = "mux-e2e-claude:" + System.getProperty("mux.claudeVersion", "dev");

  private AgentImage() {}

  static synchronized String ensureBuilt() {
    if (MuxJar.exec(Map.of(), List.of("docker", "image", "inspect", NAME), Duration.ofSeconds(30)).status() == 0) {
      return NAME;
    }
    MuxJar.Result build =
        MuxJar.exec(
            Map.of(),
            List.of("bash", script().toString(), NAME, ClaudeCodeIT.claude().toString()),
            Duration.ofMinutes(5));
    assertThat(build.status()).as("building " + NAME + ": " + build.err()).isZero();
    return NAME;
  }

  private static Path script() {
    try {
      return Path.of(AgentImage.class.getResource("/build-agent-image.sh").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
