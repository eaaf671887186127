package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mux.docker.DockerSessionException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the engine, and failing clearly (and once) when there is none. Needs no Docker. */
class DockerEngineTest {
  @TempDir
  Path tmp;

  @Test
  void unreachableEngineSaysWhatWasTriedAndWhatToDo() throws IOException {
    Path missing = tmp.resolve("docker.sock");
    try (DockerSessions sessions = DockerSessions.builder().dockerHost("unix://" + missing).build()) {
      Path workspace = Files.createDirectories(tmp.resolve("w"));
      assertThatThrownBy(() -> sessions.create(SessionSpec.builder("x").workspace(workspace).build()))
          .isInstanceOfSatisfying(DockerSessionException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.ENGINE_UNREACHABLE))
          .hasMessage("No Docker engine reachable. Tried:\n"
              + "  - configured dockerHost unix://" + missing + ": socket file not found\n"
              + "Start a Docker engine (Linux: `sudo systemctl start docker` or `sudo dockerd &`; macOS/Windows:"
              + " Docker Desktop), or set DOCKER_HOST to a running one (unix:///path/docker.sock, or"
              + " tcp://host:2376 with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH).");
      assertThat(sessions.isDockerAvailable()).isFalse();
      assertThat(sessions.dockerHost()).isEqualTo("unix://" + missing);
    }
  }

  @Test
  void refusedTcpConnectionIsReportedWithItsCauseAndCached() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (DockerSessions sessions = DockerSessions.builder()
        .environment(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port)).build()) {
      assertThatThrownBy(sessions::list)
          .isInstanceOf(DockerSessionException.class)
          .hasMessageContaining("  - DOCKER_HOST tcp://127.0.0.1:" + port + ": ")
          .hasMessageContaining("Connection refused");
      long started = System.nanoTime();
      assertThatThrownBy(() -> sessions.session("x").status())
          .isInstanceOf(DockerSessionException.class)
          .hasMessageContaining("DOCKER_HOST tcp://127.0.0.1:" + port);
      assertThat(sessions.isDockerAvailable()).isFalse();
      System.out.println("cached failure answered in " + (System.nanoTime() - started) / 1000 + " us");
    }
  }

  @Test
  void nothingTouchesTheEngineBeforeTheFirstOperation() {
    try (DockerSessions sessions = DockerSessions.builder().dockerHost("tcp://192.0.2.1:2375").build()) {
      AgentSession session = sessions.session("lazy");
      assertThat(session.containerName()).isEqualTo("mux-lazy");
    }
  }

  @Test
  void dockerHostWinsAndIsTheOnlyCandidate() {
    List<EngineCandidate> candidates = EngineCandidate.discover(null,
        Map.of("DOCKER_HOST", "tcp://remote:2376", "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"), tmp);
    assertThat(candidates).containsExactly(new EngineCandidate("DOCKER_HOST", "tcp://remote:2376", true, "/certs"));
  }

  @Test
  void explicitHostWinsOverDockerHost() {
    assertThat(EngineCandidate.discover("unix:///x.sock", Map.of("DOCKER_HOST", "tcp://remote:2376"), tmp))
        .extracting(EngineCandidate::host).containsExactly("unix:///x.sock");
  }

  @Test
  void withoutDockerHostTheContextThenTheUsualSocketsAreTried() throws IOException {
    Path config = Files.createDirectories(tmp.resolve(".docker"));
    Files.writeString(config.resolve("config.json"), "{\"currentContext\": \"remote\"}");
    // meta folder name = sha256("remote")
    Path meta = Files.createDirectories(config.resolve(
        "contexts/meta/c3ba39cb2d6f6d0e14b8ea1e5be8dcb0d0c8c3b3d3a0ecdd6bd8f7a87e53bd1c".replace(
            "c3ba39cb2d6f6d0e14b8ea1e5be8dcb0d0c8c3b3d3a0ecdd6bd8f7a87e53bd1c", sha256("remote"))));
    Files.writeString(meta.resolve("meta.json"),
        "{\"Name\":\"remote\",\"Endpoints\":{\"docker\":{\"Host\":\"tcp://ctx-host:2375\",\"SkipTLSVerify\":true}}}");
    List<EngineCandidate> candidates = EngineCandidate.discover(null, Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), tmp);
    assertThat(candidates).extracting(EngineCandidate::describe).containsExactly(
        "docker context remote tcp://ctx-host:2375",
        "default socket unix:///var/run/docker.sock",
        "rootless socket unix:///run/user/1000/docker.sock",
        "Docker Desktop socket unix://" + tmp.resolve(".docker/run/docker.sock"));
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
