package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state folder full of real secrets (CA key, secrets/, a real token in the host environment)
 * next to a running session: none of it may show up in the container's environment, mounts,
 * labels, command line or file system.
 */
@Timeout(120)
class SecretScanIntegrationTest {
  static final String MARKER = "REALSECRET";

  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  Path state;
  Path key;
  Path secrets;
  List<String> realSecrets;

  @BeforeEach
  void stateFolderFullOfSecrets() throws IOException {
    state = tmp.resolve("state");
    TestFiles.writeCa(state);
    key = state.resolve("proxy-ca-key.pem");
    secrets = Files.createDirectories(state.resolve("secrets"));
    String anthropic = "sk-ant-oat01-" + MARKER + "-" + UUID.randomUUID();
    String github = "ghp_" + MARKER + UUID.randomUUID().toString().replace("-", "");
    Files.writeString(secrets.resolve("CLAUDE_CODE_OAUTH_TOKEN"), anthropic);
    Files.writeString(secrets.resolve("GITHUB_TOKEN"), github);
    Files.writeString(state.resolve("audit.jsonl"), "{\"service\":\"api.anthropic.com\"}\n");
    Files.writeString(state.resolve("claude.json"), "{\"numStartups\": 3}");
    String keyBody = Files.readAllLines(key).get(1);
    realSecrets = List.of(anthropic, github, keyBody, MARKER);
  }

  DockerSessions.Builder sessionsLikeTheCli() {
    Map<String, String> hostEnvironment = new HashMap<>(System.getenv());
    hostEnvironment.put("CLAUDE_CODE_OAUTH_TOKEN", realSecrets.get(0));
    hostEnvironment.put("GITHUB_TOKEN", realSecrets.get(1));
    return docker.sessions(tmp)
        .environment(hostEnvironment)
        .sessionsDirectory(state.resolve("sessions"))
        .caCertificate(state.resolve("proxy-ca.pem"))
        .claudeJsonTemplate(state.resolve("claude.json"))
        .placeholderEnvironment(Map.of(
            "CLAUDE_CODE_OAUTH_TOKEN", ContainerSetupIntegrationTest.PLACEHOLDER,
            "GH_TOKEN", "mux-proxy", "GITHUB_TOKEN", "mux-proxy"))
        .neverExpose(key, secrets);
  }

  @Test
  void noRealSecretReachesTheContainer() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("project"));
    try (DockerSessions sessions = sessionsLikeTheCli().build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("scan"))
            .workspace(workspace).prompt("look around").proxyCredential("session-credential")
            .env("FAKE_CLAUDE_SLEEP", "600").build())) {
      session.start();
      TestFiles.awaitRecorded(workspace, "cwd");
      InspectContainerResponse container = docker.client().inspectContainerCmd(session.containerName()).exec();

      List<String> seen = new ArrayList<>();
      seen.addAll(List.of(container.getConfig().getEnv()));
      seen.addAll(container.getConfig().getLabels().keySet());
      seen.addAll(container.getConfig().getLabels().values());
      seen.addAll(List.of(container.getConfig().getCmd()));
      seen.add(container.getPath());
      seen.addAll(List.of(container.getArgs()));
      for (InspectContainerResponse.Mount mount : container.getMounts()) {
        Path source = Path.of(mount.getSource());
        assertThat(source).isNotEqualTo(state).isNotEqualTo(key).isNotEqualTo(secrets);
        assertThat(key.startsWith(source)).as("mount %s holds the CA key", source).isFalse();
        assertThat(source.startsWith(secrets)).isFalse();
        seen.add(mount.getSource());
        seen.addAll(contentsUnder(source));
      }
      seen.addAll(TestFiles.environ(workspace).values());
      String everything = String.join("\n", seen);

      for (String secret : realSecrets) {
        assertThat(everything).doesNotContain(secret);
      }
      assertThat(everything).doesNotContain("PRIVATE KEY").doesNotContain(secrets.toString());
      assertThat(String.join("\n", container.getConfig().getLabels().values()) + String.join(" ", container.getConfig().getCmd()))
          .doesNotContain("session-credential");

      // and inside the running container, across its whole file system
      assertThat(filesInContainerHolding(session.containerName(), MARKER, Files.readAllLines(key).get(1)))
          .as("files in the container holding a real secret").isEmpty();
      // the same scan does find what is meant to be there, so an empty answer above means something
      assertThat(filesInContainerHolding(session.containerName(), ContainerSetupIntegrationTest.PLACEHOLDER))
          .contains("/workspace/.fake-claude/environ");
    }
  }

  @Test
  void aWorkspaceHoldingTheStateFolderIsRefused() {
    String name = docker.name("expose-state");
    try (DockerSessions sessions = sessionsLikeTheCli().build()) {
      for (Path workspace : List.of(state, tmp, secrets)) {
        assertThatThrownBy(() -> sessions.create(SessionSpec.builder(name).workspace(workspace).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("which must never reach a container");
      }
      assertThat(sessions.session(name).status()).isEqualTo(new SessionStatus.Missing());
    }
  }

  @Test
  void aCaFileHoldingAKeyIsRefused() throws Exception {
    Path combined = tmp.resolve("combined.pem");
    Files.writeString(combined, Files.readString(state.resolve("proxy-ca.pem")) + Files.readString(key));
    Path workspace = Files.createDirectories(tmp.resolve("project"));
    String name = docker.name("ca-with-key");
    for (Path caFile : List.of(key, combined)) {
      try (DockerSessions sessions = sessionsLikeTheCli().caCertificate(caFile).build()) {
        assertThatThrownBy(() -> sessions.create(SessionSpec.builder(name).workspace(workspace).build()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("holds a private key (expected: the CA certificate alone")
            .hasMessageNotContaining(realSecrets.get(2));
        assertThat(sessions.session(name).status()).isEqualTo(new SessionStatus.Missing());
      }
    }
  }

  private static List<String> contentsUnder(Path source) {
    try (Stream<Path> files = Files.walk(source)) {
      return files.filter(Files::isRegularFile).map(file -> {
        try {
          return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Paths of files in the container (read through the engine's archive API) that contain a needle. */
  private static List<String> filesInContainerHolding(String container, String... needles) throws IOException {
    List<String> hits = new ArrayList<>();
    try (InputStream archive = docker.client().copyArchiveFromContainerCmd(container, "/").exec();
        TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String content = new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1);
        for (String needle : needles) {
          if (content.contains(needle)) {
            hits.add(entry.getName());
          }
        }
      }
    }
    return hits;
  }
}
