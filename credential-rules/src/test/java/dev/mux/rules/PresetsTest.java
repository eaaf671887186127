package dev.mux.rules;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PresetsTest {

  @TempDir Path home;

  static Stream<Arguments> presets() {
    String oauth = TestTokens.oauth("preset");
    String apiKey = TestTokens.anthropicApiKey("preset");
    String basic = "Basic " + Base64.getEncoder()
        .encodeToString("x-access-token:tok-123".getBytes(StandardCharsets.UTF_8));
    return Stream.of(
        Arguments.of("anthropic", "api.anthropic.com", "CLAUDE_CODE_OAUTH_TOKEN", oauth,
            "Authorization", "Bearer " + oauth),
        Arguments.of("anthropic", "api.anthropic.com", "ANTHROPIC_API_KEY", apiKey,
            "x-api-key", apiKey),
        Arguments.of("openai", "api.openai.com", "OPENAI_API_KEY", "tok-123", "Authorization", "Bearer tok-123"),
        Arguments.of("github-api", "api.github.com", "GITHUB_TOKEN", "tok-123", "Authorization", "Bearer tok-123"),
        Arguments.of("github-api", "api.github.com", "GH_TOKEN", "tok-123", "Authorization", "Bearer tok-123"),
        Arguments.of("github-git", "github.com", "GITHUB_TOKEN", "tok-123", "Authorization", basic),
        Arguments.of("npm", "registry.npmjs.org", "NPM_TOKEN", "tok-123", "Authorization", "Bearer tok-123"),
        Arguments.of("docker-registry", "registry-1.docker.io", "DOCKER_TOKEN", "tok-123",
            "Authorization", "Bearer tok-123"),
        Arguments.of("docker-auth", "auth.docker.io", "DOCKER_TOKEN", "tok-123", "Authorization", "Bearer tok-123"),
        Arguments.of("sentry", "sentry.io", "SENTRY_AUTH_TOKEN", "tok-123", "Authorization", "Bearer tok-123"),
        Arguments.of("pagerduty", "api.pagerduty.com", "PAGERDUTY_TOKEN", "tok-123",
            "Authorization", "Token token=tok-123"));
  }

  @ParameterizedTest(name = "{0} via {2}")
  @MethodSource("presets")
  void presetInjectsItsCredential(String rule, String host, String variable, String value, String header,
      String expected) {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of(variable, value)).build();

    assertThat(rules.onConnect("s1", host, 443)).isEqualTo(ConnectDecision.intercept(rule));
    Decision decision = rules.decide(TestHeaders.request("s1", host, 443, "POST",
        TestHeaders.of("Authorization", "Bearer mux-proxy", "X-API-KEY", "placeholder")));

    assertThat(decision).isInstanceOfSatisfying(Decision.Inject.class, inject -> {
      assertThat(inject.ruleName()).isEqualTo(rule);
      assertThat(inject.removeHeaders())
          .containsSubsequence("Authorization", "X-Api-Key", "Proxy-Authorization");
      assertThat(inject.setHeaders()).contains(new HeaderValue(header, expected));
      assertThat(inject.upstream()).isEmpty();
    });
    assertThat(rules.describe()).filteredOn(s -> s.name().equals(rule)).singleElement()
        .satisfies(s -> {
          assertThat(s.header()).as("the header describe() announces is the one injected").contains(header);
          assertThat(s.problem()).isEmpty();
        });
  }

  @ParameterizedTest(name = "{0} inactive without {2}")
  @MethodSource("presets")
  void presetWithoutCredentialIsInactive(String rule, String host, String variable) {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of()).build();

    assertThat(rules.onConnect("s1", host, 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.decide(TestHeaders.get(host))).isEqualTo(new Decision.Pass(Optional.empty()));
    assertThat(rules.describe()).filteredOn(s -> s.name().equals(rule)).singleElement()
        .satisfies(s -> {
          assertThat(s.present()).isFalse();
          assertThat(s.active()).isFalse();
          assertThat(s.source()).isEqualTo(SourceKind.NONE);
          assertThat(s.problem()).get().asString().contains(variable);
        });
  }

  @Test
  void describeListsEveryPreset() {
    CredentialRules rules = CredentialRules.builder().home(home)
        .environment(Map.of("GITHUB_TOKEN", "tok-123")).build();

    assertThat(rules.describe()).extracting(RuleStatus::name).containsExactly("anthropic", "openai", "github-api",
        "github-git", "npm", "docker-registry", "docker-auth", "sentry", "pagerduty");
    assertThat(rules.describe()).filteredOn(RuleStatus::present).extracting(RuleStatus::name, RuleStatus::source)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("github-api", SourceKind.ENV),
            org.assertj.core.groups.Tuple.tuple("github-git", SourceKind.ENV));
  }

  @Test
  void presetOnlyOnItsPort() {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of("GITHUB_TOKEN", "t")).build();

    assertThat(rules.onConnect("s1", "api.github.com", 8443)).isEqualTo(ConnectDecision.tunnel());
  }

  @Test
  void presetsCanBeSwitchedOff() {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of("GITHUB_TOKEN", "t"))
        .presets(false).build();

    assertThat(rules.onConnect("s1", "api.github.com", 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.describe()).isEmpty();
  }

  @Test
  void placeholderEnvironmentCoversActiveRulesOnly() {
    String oauth = TestTokens.oauth("preset");
    CredentialRules rules = CredentialRules.builder().home(home)
        .environment(Map.of("CLAUDE_CODE_OAUTH_TOKEN", oauth, "GITHUB_TOKEN", "t")).build();

    assertThat(rules.placeholderEnvironment()).containsExactly(
        Map.entry("CLAUDE_CODE_OAUTH_TOKEN", Placeholders.ANTHROPIC_OAUTH),
        Map.entry("GH_TOKEN", Placeholders.GENERIC),
        Map.entry("GITHUB_TOKEN", Placeholders.GENERIC));
    // OAuth-shaped, so Claude Code sends it as Bearer; and saying what it is
    assertThat(Placeholders.ANTHROPIC_OAUTH).startsWith(CredentialShape.OAUTH_TOKEN_PREFIX).endsWith("-mux-proxy-placeholder");
    assertThat(List.copyOf(rules.placeholderEnvironment().values())).doesNotContain(oauth, "t");
  }

  @Test
  void credentialNamesListEveryVariableAnyRuleReadsPresentOrNot() {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of())
        .addRule(Rule.builder("corp").host("corp.example").credential("CORP_TOKEN", "CORP_TOKEN_OLD").build())
        .build();

    assertThat(rules.credentialNames())
        .contains("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "GITHUB_TOKEN", "GH_TOKEN", "NPM_TOKEN",
            "OPENAI_API_KEY", "CORP_TOKEN", "CORP_TOKEN_OLD")
        .doesNotContain("HTTPS_PROXY", "HOME");
  }
}
