package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container plan without an engine: exactly which variables, mounts, labels and command. */
class ContainerPlanTest {
  @TempDir
  Path tmp;

  Settings settings(Path ca, List<Path> neverExpose) {
    return new Settings("img:1", AgentCommand.claude(), "host.docker.internal", 18080, ca,
        Map.of("CLAUDE_CODE_OAUTH_TOKEN", ContainerSetupIntegrationTest.PLACEHOLDER), tmp.resolve("sessions"),
        null, null, "1000:1000", Map.of("team", "a"), neverExpose, Duration.ofSeconds(10));
  }

  ContainerPlan plan(Settings settings, SessionSpec spec) {
    return ContainerPlan.of(settings, spec, SessionFiles.of(settings.sessionsDirectory(), spec.name()),
        Instant.parse("2026-01-02T03:04:05Z"));
  }

  @Test
  void everythingAContainerGets() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    ContainerPlan plan = plan(settings(tmp.resolve("ca.pem"), List.of()),
        SessionSpec.builder("s1").workspace(workspace).prompt("go").proxyCredential("p@ss:w/rd").env("EXTRA", "1").build());

    String proxy = "http://s1:p%40ss%3Aw%2Frd@host.docker.internal:18080";
    assertThat(plan.environment()).containsOnly(
        Map.entry("CLAUDE_CODE_OAUTH_TOKEN", ContainerSetupIntegrationTest.PLACEHOLDER),
        Map.entry("HTTPS_PROXY", proxy), Map.entry("HTTP_PROXY", proxy),
        Map.entry("https_proxy", proxy), Map.entry("http_proxy", proxy),
        Map.entry("NO_PROXY", "localhost,127.0.0.1,host.docker.internal"),
        Map.entry("no_proxy", "localhost,127.0.0.1,host.docker.internal"),
        Map.entry("NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/mux-proxy-ca.pem"),
        Map.entry("SSL_CERT_FILE", "/etc/ssl/certs/mux-ca-bundle.pem"),
        Map.entry("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/mux-ca-bundle.pem"),
        Map.entry("CURL_CA_BUNDLE", "/etc/ssl/certs/mux-ca-bundle.pem"),
        Map.entry("GIT_SSL_CAINFO", "/etc/ssl/certs/mux-ca-bundle.pem"),
        Map.entry("IS_SANDBOX", "1"), Map.entry("HOME", "/home/mux"),
        Map.entry("TERM", "xterm-256color"), Map.entry("EXTRA", "1"));
    assertThat(plan.environmentList()).isSorted();
    assertThat(plan.mounts()).containsExactly(
        new Mount(workspace.toRealPath(), "/workspace", false),
        new Mount(tmp.resolve("sessions/s1/home"), "/home/mux", false),
        new Mount(tmp.resolve("sessions/s1/proxy-ca.pem"), "/etc/ssl/certs/mux-proxy-ca.pem", true),
        new Mount(tmp.resolve("sessions/s1/ca-bundle.pem"), "/etc/ssl/certs/mux-ca-bundle.pem", true));
    assertThat(plan.labels()).containsOnly(
        Map.entry("mux.session", "s1"), Map.entry("mux.mode", "interactive"), Map.entry("mux.image", "img:1"),
        Map.entry("mux.workspace", workspace.toRealPath().toString()),
        Map.entry("mux.created", "2026-01-02T03:04:05Z"), Map.entry("team", "a"));
    assertThat(plan.command()).containsExactly("claude", "--dangerously-skip-permissions", "go");
    assertThat(plan.containerName()).isEqualTo("mux-s1");
    assertThat(plan.user()).isEqualTo("1000:1000");
    assertThat(plan.tty()).isTrue();
  }

  @Test
  void withoutACaNoCaVariablesOrMounts() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    ContainerPlan plan = plan(settings(null, List.of()),
        SessionSpec.builder("s2").workspace(workspace).mode(SessionMode.PRINT).prompt("p").build());
    assertThat(plan.environment()).doesNotContainKeys("NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "TERM");
    assertThat(plan.environment()).containsEntry("HTTPS_PROXY", "http://s2@host.docker.internal:18080");
    assertThat(plan.mounts()).extracting(Mount::target).containsExactly("/workspace", "/home/mux");
    assertThat(plan.tty()).isFalse();
  }

  @Test
  void extraEnvironmentMayNotOverrideWhatMuxSets() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    for (String key : List.of("HTTPS_PROXY", "no_proxy", "SSL_CERT_FILE", "HOME", "IS_SANDBOX", "CLAUDE_CODE_OAUTH_TOKEN")) {
      assertThatThrownBy(() -> plan(settings(tmp.resolve("ca.pem"), List.of()),
          SessionSpec.builder("s3").workspace(workspace).env(key, "x").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("env: " + key + " (expected: a variable mux does not set itself");
    }
  }

  @Test
  void mountsMayNotExposeProtectedPaths() throws Exception {
    Path state = Files.createDirectories(tmp.resolve("state"));
    Path key = Files.writeString(state.resolve("proxy-ca-key.pem"), "k");
    Path secrets = Files.createDirectories(state.resolve("secrets"));
    Path inside = Files.createDirectories(secrets.resolve("deeper"));
    Settings settings = settings(null, List.of(key, secrets));
    for (Path workspace : List.of(tmp, state, secrets, inside)) {
      assertThatThrownBy(() -> plan(settings, SessionSpec.builder("s4").workspace(workspace).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("which must never reach a container");
    }
    Path sibling = Files.createDirectories(state.resolve("projects"));
    assertThat(plan(settings, SessionSpec.builder("s4").workspace(sibling).build()).mounts()).isNotEmpty();
  }

  @Test
  void symlinkedWorkspaceIsCheckedWhereItLeads() throws Exception {
    Path state = Files.createDirectories(tmp.resolve("state"));
    Path key = Files.writeString(state.resolve("proxy-ca-key.pem"), "k");
    Path link = Files.createSymbolicLink(tmp.resolve("innocent"), state);
    assertThatThrownBy(() -> plan(settings(null, List.of(key)), SessionSpec.builder("s5").workspace(link).build()))
        .hasMessageContaining("which must never reach a container");
  }

  @Test
  void toStringShowsNoEnvironmentValues() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    ContainerPlan plan = plan(settings(null, List.of()),
        SessionSpec.builder("s6").workspace(workspace).proxyCredential("the-credential").env("X", "the-value").build());
    assertThat(plan.toString()).contains("HTTPS_PROXY", "X").doesNotContain("the-credential", "the-value");
  }

  @Test
  void engineErrorsQuotingACredentialAreMasked() {
    DockerSessionException quoted = new DockerSessionException(DockerSessionException.Reason.ENGINE_ERROR,
        "invalid env HTTPS_PROXY=http://s:c%2F1@h:1 and c/1", new RuntimeException("c/1"));
    DockerSessionException scrubbed = Failures.scrub(quoted, List.of("c/1", ContainerPlan.percentEncode("c/1")));
    assertThat(scrubbed.getMessage()).isEqualTo("invalid env HTTPS_PROXY=http://s:****@h:1 and ****");
    assertThat(scrubbed.getCause()).isNull();
    assertThat(scrubbed.reason()).isEqualTo(DockerSessionException.Reason.ENGINE_ERROR);
  }

  @Test
  void credentialIsReadBackFromTheProxyUrl() {
    for (String credential : java.util.List.of("plain", "p@ss:w/rd", "a+b c%d", "é€")) {
      assertThat(ContainerPlan.credentialOf(ContainerPlan.proxyUrl("s", credential, "h", 1))).contains(credential);
    }
    assertThat(ContainerPlan.credentialOf(ContainerPlan.proxyUrl("s", null, "h", 1))).isEmpty();
  }

  @Test
  void percentEncodingKeepsUnreservedCharacters() {
    assertThat(ContainerPlan.percentEncode("aZ0-._~ :@/%é")).isEqualTo("aZ0-._~%20%3A%40%2F%25%C3%A9");
  }
}
