package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mux.docker.DockerSessionException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Name taken, image missing, container gone, bad input: clear errors, and nothing half-created. */
@Timeout(120)
class ErrorsIntegrationTest {
  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  @Test
  void aTakenNameIsRefusedAndTheExistingSessionIsLeftAlone() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    String name = docker.name("taken");
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession first = sessions.create(SessionSpec.builder(name).workspace(workspace).build())) {
      String id = first.info().containerId();
      Path claudeJson = tmp.resolve("sessions").resolve(name).resolve("home/.claude.json");
      Files.writeString(claudeJson, "{\"hasCompletedOnboarding\": true, \"mine\": 1}");

      assertThatThrownBy(() -> sessions.create(SessionSpec.builder(name).workspace(workspace).build()))
          .isInstanceOfSatisfying(DockerSessionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NAME_TAKEN))
          .hasMessageContaining("session \"" + name + "\": the name is taken (container mux-" + name + " exists");
      assertThat(first.info().containerId()).isEqualTo(id);
      assertThat(Files.readString(claudeJson)).contains("\"mine\": 1");
    }
  }

  @Test
  void aMissingImageSaysHowToPullIt() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    String name = docker.name("no-image");
    try (DockerSessions sessions = docker.sessions(tmp).image("mux-no-such-image:1").build()) {
      assertThatThrownBy(() -> sessions.create(SessionSpec.builder(name).workspace(workspace).build()))
          .isInstanceOfSatisfying(DockerSessionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IMAGE_MISSING))
          .hasMessageContaining("image \"mux-no-such-image:1\" is not on the Docker engine at unix://")
          .hasMessageContaining("docker pull mux-no-such-image:1");
      assertThat(sessions.session(name).status()).isEqualTo(new SessionStatus.Missing());
      assertThat(tmp.resolve("sessions").resolve(name)).doesNotExist();
    }
  }

  @Test
  void aSessionWhoseContainerWasRemovedReportsItMissing() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build()) {
      AgentSession session = sessions.create(SessionSpec.builder(docker.name("gone")).workspace(workspace).build());
      docker.client().removeContainerCmd(session.containerName()).withForce(true).exec();

      assertThat(session.status()).isEqualTo(new SessionStatus.Missing());
      for (Runnable operation : new Runnable[] {
          session::start, session::stop, session::waitForExit, session::info, session::delete,
          () -> session.logs(new ByteArrayOutputStream(), new ByteArrayOutputStream()),
          () -> session.attach(new ScriptedInput(), new ByteArrayOutputStream())}) {
        assertThatThrownBy(operation::run)
            .isInstanceOfSatisfying(DockerSessionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SESSION_MISSING))
            .hasMessageContaining("no container " + session.containerName());
      }
      session.close();
    }
  }

  @Test
  void aMissingWorkspaceIsRefusedBeforeAnythingIsCreated() {
    String name = docker.name("no-workspace");
    try (DockerSessions sessions = docker.sessions(tmp).build()) {
      assertThatThrownBy(() -> sessions.create(SessionSpec.builder(name).workspace(tmp.resolve("absent")).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("workspace: " + tmp.resolve("absent") + " (expected: an existing folder)");
      assertThat(sessions.session(name).status()).isEqualTo(new SessionStatus.Missing());
    }
  }

  @Test
  void extraEnvironmentCannotReplaceTheProxySettings() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    String name = docker.name("env-clash");
    try (DockerSessions sessions = docker.sessions(tmp).build()) {
      assertThatThrownBy(() -> sessions.create(SessionSpec.builder(name).workspace(workspace)
          .env("HTTPS_PROXY", "http://elsewhere:1").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("env: HTTPS_PROXY (expected: a variable mux does not set itself");
      assertThat(sessions.session(name).status()).isEqualTo(new SessionStatus.Missing());
    }
  }
}
