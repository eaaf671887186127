package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a real container gets: environment, mounts, user, working directory, init, host gateway. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ContainerSetupIntegrationTest {
  /** What the proxy would replace: opaque to docker-backend, which only passes it on. */
  static final String PLACEHOLDER = "mux-test-placeholder";

  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  Path workspace;
  Path caFile;
  String name;
  InspectContainerResponse container;
  SessionFiles files;
  Map<String, String> seenByAgent;
  java.util.Optional<String> readBackCredential;

  @BeforeAll
  void runOneSession(@TempDir Path tmp) throws Exception {
    workspace = Files.createDirectories(tmp.resolve("work space"));
    caFile = TestFiles.writeCa(tmp.resolve("state"));
    name = docker.name("setup");
    try (DockerSessions sessions = docker.sessions(tmp)
        .proxyPort(18123)
        .caCertificate(caFile)
        .placeholderEnvironment(Map.of("CLAUDE_CODE_OAUTH_TOKEN", PLACEHOLDER))
        .build()) {
      AgentSession session = sessions.create(SessionSpec.builder(name)
          .workspace(workspace)
          .mode(SessionMode.PRINT)
          .prompt("hello")
          .proxyCredential("c/r+d=1")
          .env("FAKE_CLAUDE_REWRITE_CONFIG", "1")
          .build());
      int exitCode = session.start().streamUntilExit(new ByteArrayOutputStream(), new ByteArrayOutputStream());
      assertThat(exitCode).isZero();
      container = docker.client().inspectContainerCmd(session.containerName()).exec();
      readBackCredential = sessions.session(name).proxyCredential();
    }
    files = SessionFiles.of(tmp.resolve("sessions"), name);
    seenByAgent = TestFiles.environ(workspace);
  }

  @Test
  void proxyVariablesNameTheSessionAndItsCredential() {
    String url = "http://" + name + ":c%2Fr%2Bd%3D1@host.docker.internal:18123";
    for (String key : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) {
      assertThat(seenByAgent).containsEntry(key, url);
    }
    assertThat(seenByAgent)
        .containsEntry("NO_PROXY", "localhost,127.0.0.1,host.docker.internal")
        .containsEntry("no_proxy", "localhost,127.0.0.1,host.docker.internal");
  }

  @Test
  void proxyCredentialIsReadBackFromTheContainer() {
    assertThat(readBackCredential).contains("c/r+d=1");
  }

  @Test
  void hostGatewayIsMapped() {
    assertThat(container.getHostConfig().getExtraHosts()).containsExactly("host.docker.internal:host-gateway");
  }

  @Test
  void caVariablesPointAtMountedFiles() {
    assertThat(seenByAgent).containsEntry("NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/mux-proxy-ca.pem");
    for (String key : List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO")) {
      assertThat(seenByAgent).containsEntry(key, "/etc/ssl/certs/mux-ca-bundle.pem");
    }
    assertThat(mount("/etc/ssl/certs/mux-proxy-ca.pem").getRW()).isFalse();
    assertThat(mount("/etc/ssl/certs/mux-ca-bundle.pem").getRW()).isFalse();
  }

  @Test
  void caCopyIsTheCertificateAndTheBundleAddsItToTheSystemCas() throws Exception {
    String ca = Files.readString(caFile);
    assertThat(Files.readString(Path.of(mount("/etc/ssl/certs/mux-proxy-ca.pem").getSource()))).isEqualTo(ca);
    String bundle = Files.readString(Path.of(mount("/etc/ssl/certs/mux-ca-bundle.pem").getSource()));
    assertThat(bundle).endsWith(ca).doesNotContain("PRIVATE KEY");
    assertThat(bundle.split("BEGIN CERTIFICATE", -1).length - 1).isGreaterThan(10);
  }

  @Test
  void placeholderAndSandboxFlagAreSet() {
    assertThat(seenByAgent)
        .containsEntry("CLAUDE_CODE_OAUTH_TOKEN", PLACEHOLDER)
        .containsEntry("IS_SANDBOX", "1")
        .containsEntry("FAKE_CLAUDE_REWRITE_CONFIG", "1");
  }

  @Test
  void workspaceIsMountedReadWriteAndIsTheWorkingDirectory() throws Exception {
    InspectContainerResponse.Mount mount = mount("/workspace");
    assertThat(mount.getRW()).isTrue();
    assertThat(Path.of(mount.getSource())).isEqualTo(workspace.toRealPath());
    assertThat(container.getConfig().getWorkingDir()).isEqualTo("/workspace");
    assertThat(TestFiles.recorded(workspace, "cwd")).isEqualTo("/workspace");
  }

  @Test
  void homeIsAWritableFolderHoldingTheSessionsClaudeJson() throws Exception {
    assertThat(seenByAgent).containsEntry("HOME", "/home/mux");
    InspectContainerResponse.Mount home = mount("/home/mux");
    assertThat(home.getRW()).isTrue();
    assertThat(Path.of(home.getSource())).isEqualTo(files.home);
    // the agent replaced it by rename, as Claude Code does; a read-only or single-file mount would refuse
    assertThat(Files.readString(files.home.resolve(".claude.json")))
        .contains("\"hasCompletedOnboarding\": true", "\"rewritten\": true");
  }

  @Test
  void claudeJsonStartsWithOnboardingCompleted() {
    assertThat(new String(DockerSessions.claudeJson(null), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"hasCompletedOnboarding\" : true");
  }

  @Test
  void runsAsTheHostUserWithAnInit() {
    var unix = new com.sun.security.auth.module.UnixSystem();
    assertThat(container.getConfig().getUser()).isEqualTo(unix.getUid() + ":" + unix.getGid());
    assertThat(TestFiles.recorded(workspace, "uid")).isEqualTo(String.valueOf(unix.getUid()));
    assertThat(TestFiles.recorded(workspace, "gid")).isEqualTo(String.valueOf(unix.getGid()));
    assertThat(container.getHostConfig().getInit()).isTrue();
  }

  @Test
  void labelsCarryTheMetadata() throws Exception {
    assertThat(container.getName()).isEqualTo("/mux-" + name);
    assertThat(container.getConfig().getLabels())
        .containsEntry("mux.session", name)
        .containsEntry("mux.mode", "print")
        .containsEntry("mux.image", docker.image())
        .containsEntry("mux.workspace", workspace.toRealPath().toString())
        .containsKey("mux.created")
        .containsEntry(DockerEngineExtension.TEST_LABEL, docker.runId());
  }

  @Test
  void commandIsTheAgentInPrintMode() {
    assertThat(container.getConfig().getCmd())
        .containsExactly("claude", "--dangerously-skip-permissions", "--print", "--verbose", "hello");
    assertThat(TestFiles.argv(workspace)).containsExactly("--dangerously-skip-permissions", "--print", "--verbose", "hello");
  }

  @Test
  void mountsAreExactlyTheFourExpected() {
    assertThat(container.getMounts()).extracting(m -> m.getDestination().getPath())
        .containsExactlyInAnyOrder("/workspace", "/home/mux", "/etc/ssl/certs/mux-proxy-ca.pem",
            "/etc/ssl/certs/mux-ca-bundle.pem");
  }

  private InspectContainerResponse.Mount mount(String destination) {
    return container.getMounts().stream()
        .filter(m -> m.getDestination().getPath().equals(destination))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount at " + destination + ": " + container.getMounts()));
  }
}
