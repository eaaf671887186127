package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Status through a session's life, list from labels after a new client, quick stop thanks to the init. */
@Timeout(120)
class SessionLifecycleIntegrationTest {
  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  @Test
  void statusFollowsTheLifeOfTheSession() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build()) {
      AgentSession session = sessions.create(SessionSpec.builder(docker.name("life"))
          .workspace(workspace).env("FAKE_CLAUDE_SLEEP", "600").build());
      assertThat(session.status()).isEqualTo(new SessionStatus.Created());
      session.start();
      session.start();
      assertThat(session.status()).isEqualTo(new SessionStatus.Running());
      session.stop();
      assertThat(session.status()).isEqualTo(new SessionStatus.Exited(143));
      session.stop();
      session.start();
      assertThat(session.status()).isEqualTo(new SessionStatus.Running());
      session.delete();
      assertThat(session.status()).isEqualTo(new SessionStatus.Missing());
      assertThat(tmp.resolve("sessions").resolve(session.name())).doesNotExist();
    }
  }

  @Test
  void listReadsEverythingBackFromLabelsWithANewClient() throws Exception {
    Path printWorkspace = Files.createDirectories(tmp.resolve("print"));
    Path interactiveWorkspace = Files.createDirectories(tmp.resolve("interactive"));
    String printName = docker.name("list-print");
    String interactiveName = docker.name("list-interactive");
    try (DockerSessions sessions = docker.sessions(tmp).build()) {
      sessions.create(SessionSpec.builder(printName).workspace(printWorkspace)
          .mode(SessionMode.PRINT).prompt("p").env("FAKE_CLAUDE_EXIT", "2").build()).start().waitForExit();
      sessions.create(SessionSpec.builder(interactiveName).workspace(interactiveWorkspace)
          .env("FAKE_CLAUDE_SLEEP", "600").build()).start();
    }

    try (DockerSessions restarted = docker.sessions(tmp).build()) {
      List<SessionInfo> listed = restarted.list();
      assertThat(listed).extracting(SessionInfo::name).containsExactly(printName, interactiveName);
      SessionInfo print = listed.get(0);
      assertThat(print.status()).isEqualTo(new SessionStatus.Exited(2));
      assertThat(print.mode()).isEqualTo(SessionMode.PRINT);
      assertThat(print.image()).isEqualTo(docker.image());
      assertThat(print.workspace()).isEqualTo(printWorkspace.toRealPath());
      assertThat(print.created()).isNotNull();
      assertThat(print.containerId()).isNotBlank();
      SessionInfo interactive = listed.get(1);
      assertThat(interactive.status()).isEqualTo(new SessionStatus.Running());
      assertThat(interactive.mode()).isEqualTo(SessionMode.INTERACTIVE);
      assertThat(restarted.session(interactiveName).info()).isEqualTo(interactive);

      restarted.session(printName).delete();
      assertThat(restarted.list()).extracting(SessionInfo::name).containsExactly(interactiveName);
      restarted.session(interactiveName).close();
      assertThat(restarted.list()).isEmpty();
    }
  }

  @Test
  void listShowsOnlySessionsWithThisInstancesLabels() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build();
        DockerSessions other = docker.sessions(tmp).label("dev.mux.test.other", "yes").build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("mine")).workspace(workspace).build())) {
      assertThat(sessions.list()).extracting(SessionInfo::name).containsExactly(session.name());
      assertThat(other.list()).isEmpty();
    }
  }

  @Test
  void stopIsQuickBecauseTheInitPassesSigtermOn() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("stop"))
            .workspace(workspace).env("FAKE_CLAUDE_SLEEP", "600").build())) {
      session.start();
      long started = System.nanoTime();
      session.stop(Duration.ofSeconds(30));
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.println("stop with --init took " + millis + " ms");
      // 143 = ended by SIGTERM; 137 would mean the engine had to SIGKILL after the 30 s timeout
      assertThat(session.status()).isEqualTo(new SessionStatus.Exited(143));
    }
  }

  @Test
  void withoutAnInitTheSameCommandIgnoresSigtermUntilKilled() {
    DockerClient client = docker.client();
    String id = client.createContainerCmd(docker.image())
        .withCmd("sh", "-c", "sleep 600")
        .withLabels(Map.of(DockerEngineExtension.TEST_LABEL, docker.runId()))
        .exec().getId();
    client.startContainerCmd(id).exec();
    client.stopContainerCmd(id).withTimeout(1).exec();
    int exitCode = client.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
    assertThat(exitCode).isEqualTo(137);
  }
}
