package dev.mux.docker;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustMaterialTest {
  @TempDir
  Path tmp;

  @Test
  void certificateIsReadAsIs() throws Exception {
    Path ca = TestFiles.writeCa(tmp);
    assertThat(TrustMaterial.caCertificatePem(ca)).isEqualTo(Files.readString(ca));
  }

  @Test
  void keyFileIsRefusedWithoutPrintingIt() throws Exception {
    TestFiles.writeCa(tmp);
    Path key = tmp.resolve("proxy-ca-key.pem");
    assertThatThrownBy(() -> TrustMaterial.caCertificatePem(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("caCertificate: " + key
            + " holds a private key (expected: the CA certificate alone; its key never goes into a container)");
  }

  @Test
  void garbageIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("x.pem"), "hello");
    assertThatThrownBy(() -> TrustMaterial.caCertificatePem(file))
        .hasMessage("caCertificate: " + file + " (expected: a PEM X.509 certificate)");
  }

  @Test
  void systemCertificatesFallBackToTheJvmStore() {
    String pem = TrustMaterial.systemCertificatesPem(null);
    assertThat(pem).contains("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");
  }

  @Test
  void claudeJsonTemplateGetsOnboardingCompleted() throws Exception {
    String apiKey = TestTokens.anthropicApiKey("template");
    Path template = Files.writeString(tmp.resolve("claude.json"), "{\"numStartups\": 3, \"hasCompletedOnboarding\": false,"
        + " \"primaryApiKey\": \"" + apiKey + "\", \"oauthAccount\": {\"emailAddress\": \"me@example.com\"},"
        + " \"customApiKeyResponses\": {\"approved\": [\"REAL\"]}}");
    String json = new String(DockerSessions.claudeJson(template), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(json).contains("\"numStartups\" : 3", "\"hasCompletedOnboarding\" : true")
        .doesNotContain(apiKey, "REAL", "primaryApiKey", "oauthAccount", "me@example.com");
  }

  @Test
  void claudeJsonPreAnswersTheWorkspaceTrustAndBypassQuestions() throws Exception {
    String json = new String(DockerSessions.claudeJson(null), java.nio.charset.StandardCharsets.UTF_8);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);

    assertThat(tree.path("bypassPermissionsModeAccepted").asBoolean()).isTrue();
    assertThat(tree.path("projects").path("/workspace").path("hasTrustDialogAccepted").asBoolean()).isTrue();
  }

  @Test
  void claudeJsonKeepsTheTemplatesOwnAnswersAndProjects() throws Exception {
    Path template = Files.writeString(tmp.resolve("claude.json"), "{\"bypassPermissionsModeAccepted\": false,"
        + " \"projects\": {\"/workspace\": {\"hasTrustDialogAccepted\": false, \"allowedTools\": [\"Bash\"]},"
        + " \"/other\": {\"x\": 1}}}");
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(DockerSessions.claudeJson(template));

    assertThat(tree.path("bypassPermissionsModeAccepted").asBoolean()).isFalse();
    assertThat(tree.path("projects").path("/workspace").path("hasTrustDialogAccepted").asBoolean()).isFalse();
    assertThat(tree.path("projects").path("/workspace").path("allowedTools").get(0).asText()).isEqualTo("Bash");
    assertThat(tree.path("projects").path("/other").path("x").asInt()).isEqualTo(1);
  }

  @Test
  void imageMissingMessagesSayHowToGetTheImage() {
    assertThat(DockerSessions.imageMissingMessage("mux-agent:latest", "unix:///var/run/docker.sock"))
        .isEqualTo("image \"mux-agent:latest\" is not on the Docker engine at unix:///var/run/docker.sock."
            + " Build it with: docker build -t mux-agent:latest docker/   (from the mux source tree; see docker/README.md)");
    assertThat(DockerSessions.imageMissingMessage("ghcr.io/x/agent:2", "tcp://h:2376"))
        .endsWith("Pull it with: docker pull ghcr.io/x/agent:2   (or build it and tag it ghcr.io/x/agent:2)");
  }
}
