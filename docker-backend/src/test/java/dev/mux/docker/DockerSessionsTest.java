package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builder checks and refusals that happen before any engine is contacted. */
class DockerSessionsTest {
  @TempDir
  Path tmp;

  DockerSessions.Builder noEngine() {
    return DockerSessions.builder().dockerHost("unix://" + tmp.resolve("none.sock")).sessionsDirectory(tmp.resolve("sessions"));
  }

  @Test
  void theKeyNextToTheCaIsProtectedWithoutBeingNamed() throws Exception {
    Path state = tmp.resolve("state");
    TestFiles.writeCa(state);
    try (DockerSessions sessions = noEngine().caCertificate(state.resolve("proxy-ca.pem")).build()) {
      assertThatThrownBy(() -> sessions.create(SessionSpec.builder("s").workspace(state).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("proxy-ca-key.pem, which must never reach a container");
    }
  }

  @Test
  void muxLabelsAreReserved() {
    assertThatThrownBy(() -> DockerSessions.builder().label("mux.session", "x"))
        .hasMessage("label: mux.session (expected: a key outside mux.*, which mux sets)");
  }

  @Test
  void proxyPortIsChecked() {
    assertThatThrownBy(() -> DockerSessions.builder().proxyPort(0)).hasMessage("proxyPort: 0 (expected: 1-65535)");
  }

  @Test
  void sessionHandlesCheckTheirName() {
    try (DockerSessions sessions = noEngine().build()) {
      assertThatThrownBy(() -> sessions.session("Bad")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theEngineIsOnlyContactedAfterTheSpecIsChecked() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = noEngine().build()) {
      assertThatThrownBy(() -> sessions.create(SessionSpec.builder("s").workspace(workspace).env("HOME", "/root").build()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> sessions.create(SessionSpec.builder("s").workspace(workspace).build()))
          .isInstanceOf(DockerSessionException.class)
          .hasMessageStartingWith("No Docker engine reachable.");
      assertThat(tmp.resolve("sessions")).doesNotExist();
    }
  }
}
