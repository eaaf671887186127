package dev.mux.rules;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileTest {

  @TempDir Path home;

  private Path write(String toml) throws Exception {
    return Files.writeString(home.resolve("rules.toml"), toml);
  }

  private CredentialRules load(Path config, Map<String, String> env) {
    return CredentialRules.builder().home(home).environment(env).configFile(config).build();
  }

  @Test
  void exampleConfigLoadsAndMeansWhatItSays() throws Exception {
    Path config = write(CredentialRules.exampleConfig());
    CredentialRules rules = load(config, Map.of("CORP_API_TOKEN", "corp", "GIT_MIRROR_TOKEN", "git",
        "METRICS_KEY", "m", "CLAUDE_CODE_OAUTH_TOKEN", TestTokens.oauth("config"), "DOCKER_TOKEN", "d"));

    assertThat(rules.decide(TestHeaders.get("v2.api.corp.example"))).isEqualTo(new Decision.Inject("internal-api",
        java.util.List.of("Authorization", "X-Api-Key", "Proxy-Authorization", "X-Corp-Session"),
        java.util.List.of(new HeaderValue("x-api-key", "corp")), Optional.empty()));
    assertThat(rules.decide(TestHeaders.get("git.corp.example"))).isInstanceOfSatisfying(Decision.Inject.class,
        i -> assertThat(i.setHeaders()).containsExactly(new HeaderValue("Authorization", "Basic b2F1dGgyOmdpdA==")));
    assertThat(rules.decide(TestHeaders.request("s", "metrics.corp.example", 8443, "GET", TestHeaders.of())))
        .isInstanceOfSatisfying(Decision.Inject.class, i -> assertThat(i.setHeaders()).containsExactly(
            new HeaderValue("Authorization", "Key m"), new HeaderValue("X-Team", "platform")));
    assertThat(rules.decide(TestHeaders.get("api.anthropic.com"))).isInstanceOfSatisfying(Decision.Inject.class,
        i -> assertThat(i.upstream()).contains(new Upstream("llm-gateway.corp.example", 8443)));
    assertThat(rules.onConnect("s", "registry-1.docker.io", 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.onConnect("reviewer", "example.org", 443)).isInstanceOf(ConnectDecision.Refuse.class);
    assertThat(rules.onConnect("reviewer", "raw.githubusercontent.com", 443)).isEqualTo(ConnectDecision.intercept(null));
    assertThat(rules.decide(TestHeaders.request("reviewer", "api.github.com", 443, "POST", TestHeaders.of())))
        .isInstanceOfSatisfying(Decision.Refuse.class, r -> assertThat(r.errorCode()).isEqualTo(ErrorCodes.READ_ONLY));
    assertThat(rules.placeholderEnvironment()).containsEntry("CORP_API_TOKEN", "mux-proxy")
        .containsEntry("CLAUDE_CODE_OAUTH_TOKEN", Placeholders.ANTHROPIC_OAUTH);
  }

  @Test
  void readmeCarriesTheSameExample() throws Exception {
    Path readme = Path.of("README.md");
    assertThat(Files.readString(readme)).contains(CredentialRules.exampleConfig().strip());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      presets = true\\nfoo = 1 | rules.toml: foo: unknown key (expected: one of presets, rule, preset, credential, session)
      [[rule]]\\nname = "a"\\nhost = "a.com"\\ncredential = "T"\\nformt = "raw" | rules.toml: rule[1] (a).formt: unknown key (expected: one of name, host, port, credential, header, format, user, template, strip, set-headers, upstream, placeholders)
      [[rule]]\\nname = "a"\\nhost = "a.*.com"\\ncredential = "T" | rules.toml: rule[1] (a).host: host: "a.*.com" (expected: a host name like api.example.com, or *.example.com)
      [[rule]]\\nname = "a"\\nhost = "a.com"\\ncredential = "T"\\nformat = "bearr" | rules.toml: rule[1] (a).format: "bearr" (expected: one of bearer, raw, token, basic, template, anthropic)
      [[rule]]\\nname = "a"\\nhost = "a.com"\\ncredential = "T"\\nformat = "basic" | rules.toml: rule[1] (a).user: missing (required)
      [[rule]]\\nname = "a"\\nhost = "a.com"\\ncredential = "T"\\nformat = "template"\\ntemplate = "x" | rules.toml: rule[1] (a).template: template: "x" (expected: contains {secret})
      [[rule]]\\nname = "a"\\nhost = "a.com" | rules.toml: rule[1] (a).credential: missing (required)
      [[rule]]\\nhost = "a.com" | rules.toml: rule[1].name: missing (required)
      [[rule]]\\nname = "a"\\nhost = "a.com"\\ncredential = "T"\\nport = "443" | rules.toml: rule[1] (a).port: "443" (expected: an integer 1-65535)
      [[rule]]\\nname = "a"\\nhost = "a.com"\\ncredential = "T"\\nupstream = "http://x" | rules.toml: rule[1] (a).upstream: upstream: "http://x" (expected: https://host[:port])
      [[rule]]\\nname = "a"\\nhost = "a.com"\\ncredential = "T"\\n[[rule]]\\nname = "a"\\nhost = "b.com"\\ncredential = "T" | rules.toml: rule[2].name: "a" (expected: a name no other [[rule]] uses)
      [rule]\\nname = "a" | rules.toml: rule: expected an array of tables: write each rule as [[rule]]
      [preset.gitlab]\\nenabled = false | rules.toml: preset.gitlab: unknown preset (expected: one of anthropic, openai, github-api, github-git, npm, docker-registry, docker-auth, sentry, pagerduty)
      [preset.npm]\\nenabled = "no" | rules.toml: preset.npm.enabled: "no" (expected: true or false)
      [preset.npm]\\nname = "x" | rules.toml: preset.npm.name: unknown key (expected: one of host, port, credential, header, format, user, template, strip, set-headers, upstream, placeholders, enabled)
      [credential.T]\\ncommand = "pass show t" | rules.toml: credential.T.command: expected an array like ["pass", "show", "github"]
      [credential.T]\\ncommand = ["pass"]\\ntimeout = "soon" | rules.toml: credential.T.timeout: "soon" (expected: a duration like "500ms", "10s" or "2m")
      [session.s1]\\nallow-hosts = ["*.*"] | rules.toml: session.s1.allow-hosts: host: "*.*" (expected: a host name like api.example.com, or *.example.com)
      [session.s1]\\nread-only = "x..y" | rules.toml: session.s1.read-only: host: "x..y" (expected: a host name like api.example.com, or *.example.com)
      [session.s1]\\nwrite = ["a.com"] | rules.toml: session.s1.write: unknown key (expected: one of allow-hosts, read-only, inspect, credentials)
      """)
  void invalidConfigIsReportedWithItsLocation(String toml, String message) throws Exception {
    Path config = write(toml.replace("\\n", "\n"));

    assertThatThrownBy(() -> load(config, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(home.resolve(message.substring(0, message.indexOf(':'))) + message.substring(message.indexOf(':')));
  }

  @Test
  void syntaxErrorNamesLineAndColumn() throws Exception {
    Path config = write("presets = true\n[[rule]]\nname = \"a\nhost = 1\n");

    assertThatThrownBy(() -> load(config, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(config + ": line 3, column ")
        .hasMessageContaining("invalid TOML");
  }

  @Test
  void missingFileMeansPresetsOnly() {
    CredentialRules rules = load(home.resolve("absent.toml"), Map.of("NPM_TOKEN", "n"));

    assertThat(rules.onConnect("s", "registry.npmjs.org", 443)).isEqualTo(ConnectDecision.intercept("npm"));
  }

  @Test
  void presetsCanBeSwitchedOffInTheFile() throws Exception {
    CredentialRules rules = load(write("presets = false\n"), Map.of("NPM_TOKEN", "n"));

    assertThat(rules.onConnect("s", "registry.npmjs.org", 443)).isEqualTo(ConnectDecision.tunnel());
  }

  @Test
  void presetOverrideKeepsTheRestOfThePreset() throws Exception {
    CredentialRules rules = load(write("[preset.github-git]\nupstream = \"https://127.0.0.1:9443\"\n"),
        Map.of("GITHUB_TOKEN", "g"));

    assertThat(rules.decide(TestHeaders.get("github.com"))).isInstanceOfSatisfying(Decision.Inject.class, i -> {
      assertThat(i.upstream()).contains(new Upstream("127.0.0.1", 9443));
      assertThat(i.setHeaders()).singleElement().satisfies(h -> assertThat(h.value()).startsWith("Basic "));
    });
  }

  @Test
  void fileRuleReplacesBuilderRuleOfSameName() throws Exception {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of("A", "a", "B", "b"))
        .addRule(Rule.builder("corp").host("corp.example").credential("A").build())
        .configFile(write("[[rule]]\nname = \"corp\"\nhost = \"corp.example\"\ncredential = \"B\"\n"))
        .build();

    assertThat(rules.decide(TestHeaders.get("corp.example"))).isInstanceOfSatisfying(Decision.Inject.class,
        i -> assertThat(i.setHeaders()).containsExactly(new HeaderValue("Authorization", "Bearer b")));
  }
}
