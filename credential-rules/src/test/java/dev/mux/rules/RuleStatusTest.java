package dev.mux.rules;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link CredentialRules#describe()} says about each credential's value, without the value. */
class RuleStatusTest {

  @TempDir Path home;

  private RuleStatus status(Map<String, String> environment, String rule) {
    CredentialRules rules = CredentialRules.builder().home(home).environment(environment).build();
    return rules.describe().stream().filter(s -> s.name().equals(rule)).findFirst().orElseThrow();
  }

  @Test
  void oauthTokenIsWellFormedAndSentAsAuthorization() {
    RuleStatus status = status(Map.of("CLAUDE_CODE_OAUTH_TOKEN", TestTokens.oauth("status")), "anthropic");

    assertThat(status.present()).isTrue();
    assertThat(status.problem()).isEmpty();
    assertThat(status.format()).isEqualTo(CredentialFormat.anthropic());
    assertThat(status.header()).contains("Authorization");
  }

  @Test
  void apiKeyInTheOauthVariableIsAProblemNamingVariableAndSourceNotValue() {
    String apiKey = TestTokens.anthropicApiKey("status");
    RuleStatus status = status(Map.of("CLAUDE_CODE_OAUTH_TOKEN", apiKey), "anthropic");

    assertThat(status.present()).isTrue();
    assertThat(status.active()).isTrue();
    assertThat(status.header()).contains("x-api-key");
    assertThat(status.problem()).get().asString()
        .startsWith("CLAUDE_CODE_OAUTH_TOKEN from env holds an API key, not an OAuth token (expected: sk-ant-oat01-…)")
        .contains("OAuth authentication is currently not supported")
        .doesNotContain(apiKey);
  }

  @Test
  void anythingElseInTheOauthVariableDoesNotLookLikeAToken() {
    RuleStatus status = status(Map.of("CLAUDE_CODE_OAUTH_TOKEN", "REAL-value-3"), "anthropic");

    assertThat(status.problem()).contains(
        "CLAUDE_CODE_OAUTH_TOKEN from env does not look like an OAuth token (expected: it starts with sk-ant-oat01-)");
  }

  @Test
  void apiKeyInItsOwnVariableIsFine() {
    RuleStatus status = status(Map.of("ANTHROPIC_API_KEY", TestTokens.anthropicApiKey("status")), "anthropic");

    assertThat(status.credential()).isEqualTo("ANTHROPIC_API_KEY");
    assertThat(status.problem()).isEmpty();
    assertThat(status.header()).contains("x-api-key");
  }

  @Test
  void whitespaceInsideASecretFileIsAProblemNamingTheFileSource() throws Exception {
    Path secrets = Files.createDirectory(home.resolve("secrets"));
    Path file = Files.writeString(secrets.resolve("NPM_TOKEN"), "REAL value 5\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    RuleStatus status = status(Map.of(), "npm");

    assertThat(status.source()).isEqualTo(SourceKind.FILE);
    assertThat(status.problem())
        .contains("NPM_TOKEN from file contains whitespace or a line break (expected: one token)");
    assertThat(status.toString()).doesNotContain("REAL value 5");
  }

  @Test
  void missingCredentialHasNoHeaderAndSaysWhatToSet() {
    RuleStatus status = status(Map.of(), "anthropic");

    assertThat(status.present()).isFalse();
    assertThat(status.header()).isEmpty();
    assertThat(status.problem()).get().asString().contains("CLAUDE_CODE_OAUTH_TOKEN");
  }

  @Test
  void configuredRuleAnnouncesItsOwnHeaderAndFormat() {
    CredentialRules rules = CredentialRules.builder().home(home).presets(false)
        .environment(Map.of("CORP_TOKEN", "REAL-value-6"))
        .addRule(Rule.builder("corp").host("api.corp.example").credential("CORP_TOKEN")
            .header("x-api-key").format(CredentialFormat.raw()).build())
        .build();

    assertThat(rules.describe()).singleElement().satisfies(s -> {
      assertThat(s.header()).contains("x-api-key");
      assertThat(s.format()).isEqualTo(CredentialFormat.raw());
      assertThat(s.problem()).isEmpty();
      assertThat(s.toString()).doesNotContain("REAL-value-6");
    });
  }
}
