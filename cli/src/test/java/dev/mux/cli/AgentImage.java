package dev.mux.cli;

import dev.mux.docker.testing.TestImage;

/**
 * The end-to-end agent image: the real Claude Code binary and its libraries, with busybox (or,
 * on a host without it, the host's tools), built locally once by docker-backend's TestImage.
 */
final class AgentImage {
  /**
   * What the tests and doctor's container probe run in a container besides {@code sh}, copied
   * from the host when there is no busybox; curl stands in for busybox's nc in the reach probe.
   */
  static final String[] HOST_TOOLS = {"ps", "tr", "sed", "grep", "cut", "head", "sha256sum", "timeout", "curl"};

  private static String built;

  private AgentImage() {}

  static synchronized String ensureBuilt() {
    if (built == null) {
      built = TestImage.builder("mux-e2e-claude")
          .hostBinary("usr/local/bin/claude", ClaudeCodeIT.claude())
          .hostTools(HOST_TOOLS)
          .build();
    }
    return built;
  }
}
